# The sampler against theory; not part of `all`: run `snakemake validate --cores 2`.


rule validate_exact:
    """Parallel tempering against exact enumeration of small random networks."""
    output:
        "results/validation/exact.csv",
    log:
        "results/logs/validate/exact.log",
    benchmark:
        "results/benchmarks/validate/exact.tsv"
    conda:
        "../envs/torch.yaml"
    script:
        "../scripts/validate_exact.py"


rule validate_transition:
    """Binder crossings and chi_SG growth of random networks against T_sg."""
    output:
        curves="results/validation/transition_{init}.csv",
        summary="results/validation/transition_{init}_summary.csv",
    log:
        "results/logs/validate/transition_{init}.log",
    benchmark:
        "results/benchmarks/validate/transition_{init}.tsv"
    wildcard_constraints:
        init="gaussian|pytorch",
    conda:
        "../envs/torch.yaml"
    script:
        "../scripts/validate_transition.py"


rule validate_ferromagnet:
    """Bipartite ferromagnet against its mean-field magnetisation."""
    output:
        "results/validation/ferromagnet.csv",
    log:
        "results/logs/validate/ferromagnet.log",
    benchmark:
        "results/benchmarks/validate/ferromagnet.tsv"
    conda:
        "../envs/torch.yaml"
    script:
        "../scripts/validate_ferromagnet.py"


rule validate:
    """Validation figure and verdicts; fails if any check fails."""
    input:
        exact="results/validation/exact.csv",
        transition=expand(
            "results/validation/transition_{init}.csv", init=["gaussian", "pytorch"]
        ),
        transition_summary=expand(
            "results/validation/transition_{init}_summary.csv",
            init=["gaussian", "pytorch"],
        ),
        ferromagnet="results/validation/ferromagnet.csv",
    output:
        verdict="results/validation/verdict.json",
        figure=multiext("results/validation/validation", ".png", ".pdf"),
    log:
        "results/logs/validate/verdict.log",
    conda:
        "../envs/plot.yaml"
    script:
        "../scripts/validate_report.py"
