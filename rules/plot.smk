rule plot:
    """Q(T) curves, P(q), and descriptor-metric correlations with Spearman rho."""
    input:
        curves="results/tables/curves.csv",
        networks="results/tables/networks.csv",
        overlap_distributions="results/tables/overlap_distributions.csv",
    output:
        expand(
            "results/plots/{figure}.{ext}",
            figure=["q_curves", "overlap_distributions", "correlations"],
            ext=["png", "pdf"],
        ),
    log:
        "results/logs/plot.log",
    benchmark:
        "results/benchmarks/plot.tsv"
    conda:
        "../envs/plot.yaml"
    params:
        plots=PARAMS["plots"],
    script:
        "../scripts/plot.py"
