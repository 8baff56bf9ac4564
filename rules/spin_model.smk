rule export_couplings:
    """The spin model of one checkpoint: couplings and fields as .npy, with a manifest."""
    input:
        checkpoints="results/models/{network}/checkpoints",
    output:
        "results/spin_models/{network}/epoch{epoch}/manifest.json",
    log:
        "results/logs/export_couplings/{network}_epoch{epoch}.log",
    benchmark:
        "results/benchmarks/export_couplings/{network}_epoch{epoch}.tsv"
    conda:
        "../envs/torch.yaml"
    threads: 1
    params:
        spin_model=PARAMS["spin_model"],
    script:
        "../scripts/export_couplings.py"
