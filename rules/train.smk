rule train:
    """Train one network of the suite; keep checkpoints at its chosen epochs."""
    output:
        checkpoints=directory("results/models/{network}/checkpoints"),
        metrics="results/models/{network}/metrics.json",
    params:
        spec=spec_of,
        data=config["data"],
    log:
        "results/logs/train/{network}.log",
    benchmark:
        "results/benchmarks/train/{network}.tsv"
    conda:
        "../envs/torch.yaml"
    threads: 1
    script:
        "../scripts/train.py"
