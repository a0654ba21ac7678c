#!/usr/bin/env python3
"""Prints the expected FLP vectors of tests/core/prio3_flp_test.cc, computed by the draft's own
Python proof of concept (draft-irtf-cfrg-vdaf-20, poc/vdaf_poc), not by Nazar's code.

  git -C VDAF_REPO archive draft-irtf-cfrg-vdaf-20 poc | tar -x -C /tmp/vdafpoc
  # Python 3.11 only: the PoC's one PEP 695 class header, written the 3.11 way
  sed -i 's/^class Lagrange\\[F: NttField\\]():/class Lagrange(Generic[F]):/; \\
          s/^from typing import Self,/from typing import Generic, Self,/' \\
      /tmp/vdafpoc/poc/vdaf_poc/field.py
  PYTHONPATH=/tmp/vdafpoc/poc python3 tests/core/prio3_flp_vectors.py
"""
from vdaf_poc.field import Field64, Field128
from vdaf_poc.flp_bbcggi19 import (FlpBBCGGI19, Count, Histogram, MultihotCountVec, Sum,
                                   SumVec)

M64 = 2**64


def det(tag, i):
    """The test's deterministic 'random' integers, same formula as Det() in the C++ test."""
    return (tag * 0x9E3779B97F4A7C15 + (i + 1) * 0xBF58476D1CE4E5B9) % M64


def det_vec(field, tag, n):
    return [field(det(tag, i) % field.MODULUS) for i in range(n)]


def hexs(field, vec):
    return field.encode_vec(vec).hex()


CASES = [
    ('Count', Field64, lambda: Count(Field64), 1),
    ('Sum1337', Field64, lambda: Sum(Field64, 1337), 1000),
    ('SumVec64', Field64, lambda: SumVec(Field64, 3, 255, 2), [1, 255, 200]),
    ('SumVec128', Field128, lambda: SumVec(Field128, 10, 65535, 9),
     [0, 1, 2, 65535, 32768, 12345, 7, 65534, 300, 4096]),
    ('Histogram11', Field128, lambda: Histogram(Field128, 11, 4), 7),
    ('Multihot10', Field128, lambda: MultihotCountVec(Field128, 10, 4, 3),
     [True, False, False, True, False, False, True, False, False, False]),
]

for name, field, make, meas in CASES:
    flp = FlpBBCGGI19(make())
    enc = flp.encode(meas)
    prove_rand = det_vec(field, 1, flp.PROVE_RAND_LEN)
    joint_rand = det_vec(field, 2, flp.JOINT_RAND_LEN)
    query_rand = det_vec(field, 3, flp.QUERY_RAND_LEN)
    proof = flp.prove(enc, prove_rand, joint_rand)
    verifier = flp.query(enc, proof, query_rand, joint_rand, 1)
    assert flp.decide(verifier)
    # Two shares: the second is det(4, i) and det(5, i); the first is the rest.
    meas_1 = det_vec(field, 4, len(enc))
    proof_1 = det_vec(field, 5, len(proof))
    meas_0 = [a - b for a, b in zip(enc, meas_1)]
    proof_0 = [a - b for a, b in zip(proof, proof_1)]
    v0 = flp.query(meas_0, proof_0, query_rand, joint_rand, 2)
    v1 = flp.query(meas_1, proof_1, query_rand, joint_rand, 2)
    assert flp.decide([a + b for a, b in zip(v0, v1)])
    print(f'// {name}: meas_len {flp.MEAS_LEN}, proof_len {flp.PROOF_LEN}, '
          f'verifier_len {flp.VERIFIER_LEN}, prove_rand_len {flp.PROVE_RAND_LEN}, '
          f'query_rand_len {flp.QUERY_RAND_LEN}, joint_rand_len {flp.JOINT_RAND_LEN}')
    print(f'{{"{name}", {flp.MEAS_LEN}, {flp.PROOF_LEN}, {flp.VERIFIER_LEN}, '
          f'{flp.PROVE_RAND_LEN}, {flp.QUERY_RAND_LEN}, {flp.JOINT_RAND_LEN},')
    for part in (enc, proof, verifier, v0, v1, flp.truncate(enc)):
        print(f' "{hexs(field, part)}",')
    print('},')
