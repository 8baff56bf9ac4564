// Device functions of the glassbox heat-bath sampler, shared by the CUDA
// kernels (heat_bath.cu) and by a host shim that the tests compile with g++
// to check them bit for bit against the CPU backend (glassbox/sampler/philox.py).
//
// Counter-based random numbers: Philox4x32-10 (Salmon et al. 2011) with
//   key = (seed & 0xffffffff, seed >> 32),
//   counter = (global_spin / 4, sweep, chain, stream),
// the spin taking word global_spin % 4, u = (word >> 8) * 2^-24.
// Heat-bath rule in float32: s = +1 if u * (1 + exp(-2 beta h)) < 1 else -1,
// with the Cephes single-precision exp below. Compile without FMA contraction
// (nvcc --fmad=false, g++ -ffp-contract=off) so every rounding matches.
#ifndef GLASSBOX_HEAT_BATH_DEVICE_H
#define GLASSBOX_HEAT_BATH_DEVICE_H

#ifdef __CUDACC__
#define GB_HD __host__ __device__ __forceinline__
#else
#define GB_HD static inline
#include <math.h>
#endif

typedef unsigned int gb_u32;
typedef unsigned long long gb_u64;

#define GB_PHILOX_M0 0xD2511F53u
#define GB_PHILOX_M1 0xCD9E8D57u
#define GB_PHILOX_W0 0x9E3779B9u
#define GB_PHILOX_W1 0xBB67AE85u

GB_HD void gb_philox4x32_10(gb_u32 c[4], gb_u32 k0, gb_u32 k1) {
    for (int round = 0; round < 10; ++round) {
        gb_u64 p0 = (gb_u64)GB_PHILOX_M0 * (gb_u64)c[0];
        gb_u64 p1 = (gb_u64)GB_PHILOX_M1 * (gb_u64)c[2];
        gb_u32 n0 = (gb_u32)(p1 >> 32) ^ c[1] ^ k0;
        gb_u32 n1 = (gb_u32)p1;
        gb_u32 n2 = (gb_u32)(p0 >> 32) ^ c[3] ^ k1;
        gb_u32 n3 = (gb_u32)p0;
        c[0] = n0; c[1] = n1; c[2] = n2; c[3] = n3;
        k0 += GB_PHILOX_W0;
        k1 += GB_PHILOX_W1;
    }
}

GB_HD float gb_uniform(gb_u32 word) {
    return (float)(word >> 8) * (1.0f / 16777216.0f);
}

// exp(x) for x clamped to [-87, 88]: Cephes expf, 2^m * (1 + r + r^2 P(r)).
GB_HD float gb_exp(float x) {
    x = fminf(fmaxf(x, -87.0f), 88.0f);
    float m = floorf(x * 1.44269502163f + 0.5f);
    float r = x - m * 0.693359375f;
    r = r - m * -2.12194440e-4f;
    float poly = ((((1.9875691500e-4f * r + 1.3981999507e-3f) * r + 8.3334519073e-3f) * r
                   + 4.1665795894e-2f) * r + 1.6666665459e-1f) * r + 5.0000001201e-1f;
    float mantissa = poly * (r * r) + r + 1.0f;
    int bits = ((int)m + 127) << 23;
    float scale;
#ifdef __CUDA_ARCH__
    scale = __int_as_float(bits);
#else
    union { int i; float f; } cast;
    cast.i = bits;
    scale = cast.f;
#endif
    return mantissa * scale;
}

GB_HD float gb_heat_bath_spin(gb_u32 word, float two_beta, float field) {
    float u = gb_uniform(word);
    float e = gb_exp(-two_beta * field);
    return (u * (1.0f + e) < 1.0f) ? 1.0f : -1.0f;
}

// Spin i of a layer whose first global spin index is `offset`, for one chain.
GB_HD float gb_update_spin(long long offset, int i, float two_beta, float field, gb_u32 sweep, gb_u32 chain,
                           gb_u32 stream, gb_u32 k0, gb_u32 k1) {
    long long g = offset + i;
    gb_u32 c[4] = {(gb_u32)(g >> 2), sweep, chain, stream};
    gb_philox4x32_10(c, k0, k1);
    return gb_heat_bath_spin(c[g & 3], two_beta, field);
}

#endif
