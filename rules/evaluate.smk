rule evaluate:
    """Accuracy, loss, generalization gap, FGSM/PGD and noise accuracy of one checkpoint."""
    input:
        checkpoints="results/models/{network}/checkpoints",
    output:
        "results/evaluation/{network}/epoch{epoch}.json",
    log:
        "results/logs/evaluate/{network}_epoch{epoch}.log",
    benchmark:
        "results/benchmarks/evaluate/{network}_epoch{epoch}.tsv"
    conda:
        "../envs/torch.yaml"
    threads: 1
    params:
        spec=spec_of,
        data=PARAMS["data"],
        evaluation=PARAMS["evaluation"],
    script:
        "../scripts/evaluate.py"
