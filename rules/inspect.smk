rule inspect_external:
    """Descriptor of a network the user brings (config key `inspect`), against random networks."""
    input:
        lambda wildcards: INSPECT[wildcards.name]["path"],
    output:
        descriptor="results/inspect/{name}/descriptor.json",
        curve="results/inspect/{name}/curve.csv",
        figure=multiext("results/inspect/{name}/q_curve", ".png", ".pdf"),
    log:
        "results/logs/inspect/{name}.log",
    benchmark:
        "results/benchmarks/inspect/{name}.tsv"
    conda:
        "../envs/torch.yaml"
    params:
        entry=lambda wildcards: glassbox_config.canonical(INSPECT[wildcards.name]),
        spin_model=PARAMS["spin_model"],
        sampler=PARAMS["sampler"],
    script:
        "../scripts/inspect_external.py"
