rule sample_ensemble:
    """Random networks of one architecture, sampled like trained ones: the z-score reference."""
    output:
        curves="results/ensembles/{ensemble}/curves.csv",
        summaries="results/ensembles/{ensemble}/summaries.csv",
    log:
        "results/logs/sample_ensemble/{ensemble}.log",
    benchmark:
        "results/benchmarks/sample_ensemble/{ensemble}.tsv"
    conda:
        "../envs/torch.yaml"
    threads: 1
    params:
        ensemble=lambda wildcards: ENSEMBLES[wildcards.ensemble],
        data=PARAMS["data"],
        spin_model=PARAMS["spin_model"],
        temperatures=PARAMS["temperatures"],
        sampler=PARAMS["sampler"],
    script:
        "../scripts/sample_ensemble.py"


rule statistics:
    """Rank correlations and backdoor AUC, descriptor beside baselines, with bootstrap intervals."""
    input:
        networks="results/tables/networks.csv",
    output:
        correlations=report(
            "results/tables/statistics.csv",
            caption="../report/statistics.rst",
            category="Tables",
        ),
        backdoor=report(
            "results/tables/backdoor_auc.csv",
            caption="../report/backdoor_auc.rst",
            category="Tables",
        ),
    log:
        "results/logs/statistics.log",
    benchmark:
        "results/benchmarks/statistics.tsv"
    conda:
        "../envs/plot.yaml"
    params:
        statistics=PARAMS["statistics"],
    script:
        "../scripts/statistics.py"
