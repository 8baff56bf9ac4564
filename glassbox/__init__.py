"""glassbox: characterise trained neural networks as spin glasses.

A feedforward network becomes a layered Ising model (neurons are spins,
weights are couplings, biases are fields); replicas of it are sampled at many
temperatures, and the overlaps between replicas give the network's Q(T) curve.
"""

__version__ = "0.1.0"
