# Independent chains: one job per (network, checkpoint, temperature).
# Parallel tempering: one job per (network, checkpoint) writes every temperature.


if PARAMS["sampler"]["method"] == "independent":

    rule sample:
        """Replicas of one spin model at one temperature (independent heat-bath chains)."""
        input:
            "results/spin_models/{network}/epoch{epoch}/manifest.json",
        output:
            "results/samples/{network}/epoch{epoch}/T{tindex}.npz",
        log:
            "results/logs/sample/{network}_epoch{epoch}_T{tindex}.log",
        benchmark:
            "results/benchmarks/sample/{network}_epoch{epoch}_T{tindex}.tsv"
        conda:
            "../envs/sampler.yaml"
        threads: 1
        params:
            temperatures=PARAMS["temperatures"],
            sampler=PARAMS["sampler"],
        script:
            "../scripts/sample.py"

else:

    rule sample:
        """Replicas of one spin model at every temperature (parallel tempering)."""
        input:
            "results/spin_models/{network}/epoch{epoch}/manifest.json",
        output:
            expand(
                "results/samples/{{network}}/epoch{{epoch}}/T{tindex}.npz",
                tindex=TEMPERATURE_INDICES,
            ),
        log:
            "results/logs/sample/{network}_epoch{epoch}.log",
        benchmark:
            "results/benchmarks/sample/{network}_epoch{epoch}.tsv"
        conda:
            "../envs/sampler.yaml"
        threads: 1
        params:
            temperatures=PARAMS["temperatures"],
            sampler=PARAMS["sampler"],
        script:
            "../scripts/sample.py"
