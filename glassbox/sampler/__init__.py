"""Replica samplers of layered Ising models: block heat-bath sweeps, parallel tempering."""

from .replicas import SamplerSettings, SamplingRun, TemperatureSamples, make_backend, sample_replicas

__all__ = ["SamplerSettings", "SamplingRun", "TemperatureSamples", "make_backend", "sample_replicas"]
