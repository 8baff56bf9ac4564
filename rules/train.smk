rule train:
    """Train one network of the suite; keep checkpoints at its chosen epochs."""
    output:
        checkpoints=directory("results/models/{network}/checkpoints"),
        metrics="results/models/{network}/metrics.json",
    log:
        "results/logs/train/{network}.log",
    benchmark:
        "results/benchmarks/train/{network}.tsv"
    conda:
        "../envs/torch.yaml"
    threads: 1
    params:
        spec=spec_of,
        data=PARAMS["data"],
    script:
        "../scripts/train.py"
