rule aggregate:
    """Tidy tables: Q(T) and friends per checkpoint x temperature, one summary row per checkpoint."""
    input:
        samples=[sample_files(network, epoch) for network, epoch in MODELS],
        evaluation=[
            f"results/evaluation/{network}/epoch{epoch}.json"
            for network, epoch in MODELS
        ],
        manifests=[
            f"results/spin_models/{network}/epoch{epoch}/manifest.json"
            for network, epoch in MODELS
        ],
        metrics=[f"results/models/{network}/metrics.json" for network in SPECS],
        ensembles=[f"results/ensembles/{name}/summaries.csv" for name in ENSEMBLES],
        ensemble_curves=[f"results/ensembles/{name}/curves.csv" for name in ENSEMBLES],
    output:
        curves="results/tables/curves.csv",
        networks="results/tables/networks.csv",
        overlap_distributions="results/tables/overlap_distributions.csv",
        training="results/tables/training.csv",
        ensemble_curves="results/tables/ensemble_curves.csv",
    log:
        "results/logs/aggregate.log",
    benchmark:
        "results/benchmarks/aggregate.tsv"
    conda:
        "../envs/plot.yaml"
    params:
        models=MODELS,
        specs=SPECS,
        n_temperatures=len(TEMPERATURE_INDICES),
    script:
        "../scripts/aggregate.py"
