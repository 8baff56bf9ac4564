rule evaluate:
    """Accuracy, loss, generalization gap, FGSM/PGD and noise accuracy of one checkpoint."""
    input:
        checkpoints="results/models/{network}/checkpoints",
    output:
        "results/evaluation/{network}/epoch{epoch}.json",
    params:
        spec=spec_of,
        data=config["data"],
        evaluation=config["evaluation"],
    log:
        "results/logs/evaluate/{network}_epoch{epoch}.log",
    benchmark:
        "results/benchmarks/evaluate/{network}_epoch{epoch}.tsv"
    conda:
        "../envs/torch.yaml"
    threads: 1
    script:
        "../scripts/evaluate.py"
