rule plot:
    """Every figure, each in the HTML report (snakemake --report) with its caption."""
    input:
        curves="results/tables/curves.csv",
        networks="results/tables/networks.csv",
        overlap_distributions="results/tables/overlap_distributions.csv",
        training="results/tables/training.csv",
        ensemble_curves="results/tables/ensemble_curves.csv",
        statistics="results/tables/statistics.csv",
        backdoor="results/tables/backdoor_auc.csv",
    output:
        [
            report(
                f"results/plots/{figure}.png",
                caption=f"../report/{figure}.rst",
                category="Figures",
            )
            for figure in FIGURES
        ],
        expand("results/plots/{figure}.pdf", figure=FIGURES),
    log:
        "results/logs/plot.log",
    benchmark:
        "results/benchmarks/plot.tsv"
    conda:
        "../envs/plot.yaml"
    params:
        plots=PARAMS["plots"],
        epsilons=PARAMS["evaluation"]["epsilons"],
    script:
        "../scripts/plot.py"
