from snakemake.utils import validate

from glassbox import config as glassbox_config

validate(config, "../glassbox/schemas/config.schema.yaml")
try:
    glassbox_config.check(config)
except glassbox_config.ConfigError as err:
    raise ValueError(f"invalid config: {err}") from None


wildcard_constraints:
    network="[A-Za-z0-9][A-Za-z0-9_-]*",
    epoch=r"\d+",
    tindex=r"\d+",


# rule params in canonical key order, so that reordering the config reruns nothing
PARAMS = {
    key: glassbox_config.canonical(config[key])
    for key in (
        "data",
        "spin_model",
        "sampler",
        "temperatures",
        "evaluation",
        "plots",
        "statistics",
    )
}
MODELS = glassbox_config.checkpoint_list(config)
SPECS = {
    name: glassbox_config.network_spec(config, name)
    for name in glassbox_config.expand_suite(config)
}
ENSEMBLES = {
    name: glassbox_config.canonical(
        {"dataset": "digits", "activation": "relu", "members": 10, **entry}
    )
    for name, entry in config.get("random_ensembles", {}).items()
}
FIGURES = [
    "q_curves",
    "overlap_distributions",
    "correlations",
    "training_dynamics",
    "capacity",
    "robustness",
    "backdoor",
    "far_from_equilibrium",
    "baselines",
]
TEMPERATURE_INDICES = [f"{i:02d}" for i in range(config["temperatures"]["count"])]


def spec_of(wildcards):
    return SPECS[wildcards.network]


def sample_files(network, epoch):
    return expand(
        "results/samples/{network}/epoch{epoch}/T{tindex}.npz",
        network=network,
        epoch=epoch,
        tindex=TEMPERATURE_INDICES,
    )


INSPECT = {
    name: {"allow_pickle": False, "ensemble": 10, **entry}
    for name, entry in config.get("inspect", {}).items()
}


def final_outputs():
    return (
        [f"results/inspect/{name}/descriptor.json" for name in INSPECT]
        + [
            "results/tables/curves.csv",
            "results/tables/networks.csv",
            "results/tables/overlap_distributions.csv",
            "results/tables/statistics.csv",
            "results/tables/backdoor_auc.csv",
        ]
        + expand("results/plots/{figure}.{ext}", figure=FIGURES, ext=["png", "pdf"])
    )
