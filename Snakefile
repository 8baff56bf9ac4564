# glassbox: trained networks as spin glasses.
#
#   snakemake --cores 2                 # the default suite (config.yaml)
#   snakemake --cores 2 --configfile my.yaml
#
# Stages (rules/): train -> evaluate, export_couplings -> sample -> aggregate -> plot


from snakemake.utils import min_version

min_version("8.20")


configfile: "config.yaml"


include: "rules/common.smk"
include: "rules/train.smk"
include: "rules/evaluate.smk"
include: "rules/spin_model.smk"
include: "rules/sample.smk"
include: "rules/aggregate.smk"
include: "rules/plot.smk"
include: "rules/validate.smk"
include: "rules/inspect.smk"
include: "rules/experiments.smk"


rule all:
    default_target: True
    input:
        final_outputs(),
