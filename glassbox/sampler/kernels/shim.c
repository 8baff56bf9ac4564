// Host shim: the CUDA device functions compiled as plain C for the tests
// (g++/gcc -O2 -ffp-contract=off -shared -fPIC shim.c).
#include "heat_bath_device.h"

void shim_philox(unsigned int counter[4], unsigned int k0, unsigned int k1) { gb_philox4x32_10(counter, k0, k1); }

void shim_exp(const float* x, float* out, int n) {
    for (int i = 0; i < n; ++i) out[i] = gb_exp(x[i]);
}

// The heat_bath_update kernel's arithmetic, looped over (chain, spin) on the host.
void shim_heat_bath_update(float* spins, const float* fields, const float* two_beta, int n_chains, int n,
                           long long offset, unsigned int sweep, unsigned int stream, unsigned int k0,
                           unsigned int k1) {
    for (int c = 0; c < n_chains; ++c)
        for (int i = 0; i < n; ++i)
            spins[(long long)c * n + i] = gb_update_spin(offset, i, two_beta[c], fields[(long long)c * n + i],
                                                         sweep, (unsigned int)c, stream, k0, k1);
}
