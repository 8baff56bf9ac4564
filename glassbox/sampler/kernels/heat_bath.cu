// CUDA kernels of the glassbox replica sampler, loaded by glassbox/sampler/cuda.py
// through cupy.RawModule (NVRTC, options --fmad=false and the include path of this
// folder). Local fields h = s_{k-1} W_{k-1}^T + s_{k+1} W_k + b come from cuBLAS
// through CuPy; these kernels do the per-spin work.
#include "heat_bath_device.h"

// One thread per (chain, block of four global spins): one Philox call feeds up to
// four spins, so the random numbers do not depend on the launch shape.
extern "C" __global__ void heat_bath_update(float* spins, const float* fields, const float* two_beta,
                                            int n_chains, int n, long long offset, unsigned int sweep,
                                            unsigned int stream, unsigned int k0, unsigned int k1) {
    long long first = offset >> 2;
    int n_blocks = (int)(((offset + n - 1) >> 2) - first + 1);
    long long tid = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (tid >= (long long)n_chains * n_blocks) return;
    int chain = (int)(tid / n_blocks);
    long long block = first + tid % n_blocks;
    gb_u32 c[4] = {(gb_u32)block, sweep, (gb_u32)chain, stream};
    gb_philox4x32_10(c, k0, k1);
    float tb = two_beta[chain];
    for (int lane = 0; lane < 4; ++lane) {
        long long i = 4 * block + lane - offset;
        if (i < 0 || i >= n) continue;
        long long idx = (long long)chain * n + i;
        spins[idx] = gb_heat_bath_spin(c[lane], tb, fields[idx]);
    }
}

// Energy contribution -sum_i s_i * f_i of one layer, accumulated per chain:
// f = local field for odd layers (E = -sum_odd s.h - sum_even b.s), bias for even ones.
extern "C" __global__ void energy_accumulate(double* energy, const float* spins, const float* weights,
                                             int n_chains, int n, int weights_per_chain) {
    extern __shared__ double partial[];
    int chain = blockIdx.x;
    if (chain >= n_chains) return;
    double sum = 0.0;
    const float* s = spins + (long long)chain * n;
    const float* f = weights + (weights_per_chain ? (long long)chain * n : 0);
    for (int i = threadIdx.x; i < n; i += blockDim.x) sum += (double)s[i] * (double)f[i];
    partial[threadIdx.x] = sum;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
        if (threadIdx.x < stride) partial[threadIdx.x] += partial[threadIdx.x + stride];
        __syncthreads();
    }
    if (threadIdx.x == 0) energy[chain] -= partial[0];
}

// Overlap sums of one layer for every temperature and replica pair:
// out[t, p] = sum_i s[chain_at[a_p, t], i] * s[chain_at[b_p, t], i]. One block per (t, p).
extern "C" __global__ void replica_overlaps(float* out, const float* spins, const int* chain_at,
                                            const int* pair_a, const int* pair_b, int n_temperatures,
                                            int n_pairs, int n) {
    extern __shared__ float partial_f[];
    int t = blockIdx.x / n_pairs;
    int p = blockIdx.x % n_pairs;
    if (t >= n_temperatures) return;
    const float* sa = spins + (long long)chain_at[pair_a[p] * n_temperatures + t] * n;
    const float* sb = spins + (long long)chain_at[pair_b[p] * n_temperatures + t] * n;
    float sum = 0.0f;  // exact: integer-valued partial sums below 2^24
    for (int i = threadIdx.x; i < n; i += blockDim.x) sum += sa[i] * sb[i];
    partial_f[threadIdx.x] = sum;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
        if (threadIdx.x < stride) partial_f[threadIdx.x] += partial_f[threadIdx.x + stride];
        __syncthreads();
    }
    if (threadIdx.x == 0) out[(long long)t * n_pairs + p] = partial_f[0];
}

// The alternative to cuBLAS fields: local fields of one layer by a tiled product over
// both neighbours, fused with the heat-bath update. Block (TILE, TILE): x = spin of the
// layer, y = chain. h[c, i] = sum_j s_prev[c, j] W_prev[i, j] + sum_j s_next[c, j] W_next[j, i] + b[i]
// (W_prev: n x n_prev, W_next: n_next x n; n_prev or n_next is 0 when that neighbour is absent).
#define GB_TILE 16
extern "C" __global__ void fused_fields_update(float* spins, float* local, const float* spins_prev, const float* w_prev,
                                               int n_prev, const float* spins_next, const float* w_next,
                                               int n_next, const float* bias, const float* two_beta, int n_chains,
                                               int n, long long offset, unsigned int sweep, unsigned int stream,
                                               unsigned int k0, unsigned int k1) {
    __shared__ float tile_s[GB_TILE][GB_TILE];
    __shared__ float tile_w[GB_TILE][GB_TILE + 1];
    int i = blockIdx.x * GB_TILE + threadIdx.x;
    int c = blockIdx.y * GB_TILE + threadIdx.y;
    float h = 0.0f;
    for (int side = 0; side < 2; ++side) {
        int m = side == 0 ? n_prev : n_next;
        const float* s = side == 0 ? spins_prev : spins_next;
        for (int j0 = 0; j0 < m; j0 += GB_TILE) {
            int jc = j0 + threadIdx.x;  // this thread loads spin (c, jc) ...
            tile_s[threadIdx.y][threadIdx.x] = (c < n_chains && jc < m) ? s[(long long)c * m + jc] : 0.0f;
            int jw = j0 + threadIdx.y;  // ... and coupling (jw, i)
            float w = 0.0f;
            if (jw < m && i < n) w = side == 0 ? w_prev[(long long)i * m + jw] : w_next[(long long)jw * n + i];
            tile_w[threadIdx.y][threadIdx.x] = w;
            __syncthreads();
            for (int jj = 0; jj < GB_TILE; ++jj) h += tile_s[threadIdx.y][jj] * tile_w[jj][threadIdx.x];
            __syncthreads();
        }
    }
    if (c >= n_chains || i >= n) return;
    long long idx = (long long)c * n + i;
    local[idx] = h + bias[i];  // kept for the energy, as with cuBLAS fields
    spins[idx] = gb_update_spin(offset, i, two_beta[c], h + bias[i], sweep, (gb_u32)c, stream, k0, k1);
}
