// The FLP of Prio3: byte-for-byte against the draft's Python proof of concept, then
// completeness (valid measurements accepted with 2 and 3 shares) and soundness (invalid ones and
// tampered proofs rejected) for every circuit.
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "nazar/prio3/flp.h"
#include "prio3_test_util.h"

namespace nazar::prio3 {
namespace {

// The deterministic "random" inputs of the vectors: det(tag, i) of prio3_flp_vectors.py.
uint64_t Det(uint64_t tag, size_t i) {
  return tag * 0x9E3779B97F4A7C15u + (i + 1) * 0xBF58476D1CE4E5B9u;
}

template <class F>
std::vector<F> DetVec(uint64_t tag, size_t n) {
  std::vector<F> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = F::FromUint64(Det(tag, i));
  return out;
}

struct PocVector {
  const char* name;
  size_t meas_len, proof_len, verifier_len, prove_rand_len, query_rand_len, joint_rand_len;
  // Hex of: the encoded measurement, the proof (prove_rand = det 1, joint_rand = det 2), the
  // verifier of one share (query_rand = det 3), the verifiers of two shares (second share:
  // meas det 4, proof det 5; first: the rest), the truncated output.
  const char *meas, *proof, *verifier, *verifier0, *verifier1, *output;
};

// Printed by `PYTHONPATH=/tmp/vdafpoc/poc python3 tests/core/prio3_flp_vectors.py` (the draft's
// PoC at tag draft-irtf-cfrg-vdaf-20; see that script for the measurements and how to run it).
const PocVector kPocVectors[] = {
    // Count: meas_len 1, proof_len 5, verifier_len 4, prove_rand_len 2, query_rand_len 1,
    // joint_rand_len 0
    {
        "Count",
        1,
        5,
        4,
        2,
        1,
        0,
        "0100000000000000",
        "ce612f9c26c18f5d874714b99308e81c740b5839fdbe82473d14234b890174220100000000000000",
        "00000000000000006ba468b77c09751ead1b378a7508ebb6e4962ce2de800c4e",
        "08ed210d916867643a745d6b587640933a745d6b58764093a84ce92a4a50e3a2",
        "f912def26d97989b32300b4c2393348b73a7d91e1d92aa233d4a43b7933029ab",
        "0100000000000000",
    },
    // Sum1337: meas_len 11, proof_len 32, verifier_len 3, prove_rand_len 1, query_rand_len 12,
    // joint_rand_len 0
    {
        "Sum1337",
        11,
        32,
        3,
        1,
        12,
        0,
        "000000000000000000000000000000000000000000000000010000000000000000000000000000000100000000"
        "00000001000000000000000100000000000000010000000000000001000000000000000000000000000000",
        "ce612f9c26c18f5d967548f849d3bf29ca529a90f3305f1600000000000000002fc8d1487f22bec50000000000"
        "000000db029999f436fdbb000000000000000092261778be910a07000000000000000023e589a8155832aa0000"
        "00000000000038fbe5c2101a3d120000000000000000d23368651f077b3700000000000000000e19abccb1058a"
        "320000000000000000cad1bcf7fba1610c00000000000000004d28f090be1e735c0000000000000000cb39793c"
        "a2052ff000000000000000000b0b9943ca960e940000000000000000e6dbbe363627bf7900000000000000009e"
        "b6da29b5b050fd00000000000000006606bac9ae9290240000000000000000",
        "0000000000000000355582deda931be48197848677e43444",
        "6fef2033ba359d90d54ca880e309158a54a6efe884f3bac8",
        "9210dfcc44ca626f6008da5df789065a2ef1949df1f0797b",
        "e803000000000000",
    },
    // SumVec64: meas_len 24, proof_len 35, verifier_len 6, prove_rand_len 4, query_rand_len 1,
    // joint_rand_len 12
    {
        "SumVec64",
        24,
        35,
        6,
        4,
        1,
        12,
        "010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000100000000000000010000000000000001000000000000000100"
        "000000000000010000000000000001000000000000000100000000000000010000000000000000000000000000"
        "000000000000000000000000000000000001000000000000000000000000000000000000000000000001000000"
        "000000000100000000000000",
        "ce612f9c26c18f5d874714b99308e81c402df9d5005040dcf912def26d97989b2901f28b96120c6f5c6124f456"
        "d5d3a800000000000000004a4863ae2e79420a000000000000000085951c26c805913800000000000000002ee6"
        "35d6c90fb6470000000000000000fc3483c009b6a6e700000000000000004d3a737cf6fd4be200000000000000"
        "00d46e1ec1f56ab015000000000000000067373b96ddd6de1900000000000000007579c36d5d48356c00000000"
        "00000000a59029b69cbf0ea600000000000000001f1991b06991e637000000000000000037a9219bde39e08d00"
        "0000000000000030c3dae4d4da45000000000000000000a71261ef2b4e4e5e00000000000000008e12c5abfb22"
        "f1d60000000000000000",
        "0000000000000000b5572c9ba8a7f073e38c5aca14a80735643b361c02938415babe0545527a6b14cf0800b89f"
        "aeef04",
        "031769c96e348378287b2cc2f0cfb58d75f28eb9064d6070b600a6d6965eac36a58e4aeccd43aac6c35fd15c84"
        "8c2488",
        "fee8963690cb7c878edcffd8b6d73ae66f9acb100d5ba7c4af3a90456a34d8de1630bb588336c14d0da92e5b1a"
        "22cb7c",
        "0100000000000000ff00000000000000c800000000000000",
    },
    // SumVec128: meas_len 160, proof_len 81, verifier_len 20, prove_rand_len 18, query_rand_len 1,
    // joint_rand_len 18
    {
        "SumVec128",
        160,
        81,
        20,
        18,
        1,
        18,
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000010000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000010000000000000000000000000000000100000000000000000000000000000001000000000000000000"
        "000000000000010000000000000000000000000000000100000000000000000000000000000001000000000000"
        "000000000000000000010000000000000000000000000000000100000000000000000000000000000001000000"
        "000000000000000000000000010000000000000000000000000000000100000000000000000000000000000001"
        "000000000000000000000000000000010000000000000000000000000000000100000000000000000000000000"
        "000001000000000000000000000000000000010000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000100000000000000000000000000000001000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000001000000000000000000000000000000010000000000"
        "000000000000000000000100000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000001000000000000000000000000"
        "000000010000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000010000000000000000000000000000000100000000000000000000000000000001000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000001000000000000000000000000000000010000000000000000000000000000000100000000"
        "000000000000000000000001000000000000000000000000000000010000000000000000000000000000000100"
        "000000000000000000000000000001000000000000000000000000000000010000000000000000000000000000"
        "000100000000000000000000000000000001000000000000000000000000000000010000000000000000000000"
        "000000000100000000000000000000000000000001000000000000000000000000000000010000000000000000"
        "000000000000000100000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000100000000000000000000000000000001000000000000000000000000000000000000"
        "000000000000000000000000000100000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000100000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000"
        "00000000000000000000000000000000000000000000000000000000000000000000000000000000",
        "ce612f9c26c18f5d0000000000000000874714b99308e81c0000000000000000402df9d5005040dc0000000000"
        "000000f912def26d97989b0000000000000000b2f8c20fdbdef05a00000000000000006bdea72c4826491a0000"
        "00000000000024c48c49b56da1d90000000000000000dda9716622b5f9980000000000000000968f56838ffc51"
        "5800000000000000004f753ba0fc43aa170000000000000000085b20bd698b02d70000000000000000c14005da"
        "d6d25a9600000000000000007a26eaf6431ab3550000000000000000330ccf13b1610b150000000000000000ec"
        "f1b3301ea963d40000000000000000a5d7984d8bf0bb9300000000000000005ebd7d6af8371453000000000000"
        "000017a36287657f6c120000000000000000887dde97202a002e95f11eb6987dda29c238294a5d9a292c1fec15"
        "12f8bfaec1000000000000000000000000000000008d21687b68e6d2e3e08684b415963fce0000000000000000"
        "0000000000000000bd6a8aee118c6f5538a24ba49fca85110000000000000000000000000000000049e7a194f2"
        "ac381c07f8e4a7fb32698b000000000000000000000000000000007be796a99a30545bae04c6e1b2137c1f0000"
        "0000000000000000000000000000924ab10a97ca8fb7b5d97d44176f3200000000000000000000000000000000"
        "00fa5c120870046b32a66038c6e2c43cba0000000000000000000000000000000002505272e794d18ce4f6b289"
        "0f8925b70000000000000000000000000000000069d916881bba88ddeeca230a0c4eaa27000000000000000000"
        "000000000000007df8bce543ba67f1be7b8e4393caa9fb0000000000000000000000000000000088e6cf7bcd61"
        "9158bed7d46b8e8c87730000000000000000000000000000000073fc75b4cac2a84646d8cfa00cafb827000000"
        "00000000000000000000000000e13f3384a52c183758b9a04c0b6c88fd00000000000000000000000000000000"
        "e97a0d374cd5fcefcab150376fe4cc9a000000000000000000000000000000001f9e75fc96c00b8e3ae1b3b617"
        "2271360000000000000000000000000000000000742a4bd761aa1b7f80dd71e7a83c5f00000000000000000000"
        "000000000000ac3817c563f607ab13e0f65cde6a444b000000000000000000000000000000005ddc35151f7543"
        "57096fe75c4b55970d00000000000000000000000000000000bc9f593a3d738ca40e3ad4d4e6d18b1700000000"
        "00000000000000000000000089a79046d8afd5a821a7fc66c8b2cedf0000000000000000000000000000000045"
        "572b019080caadc2166d8bfdf9708f000000000000000000000000000000007ba48d7a2b12ca418081d1967cb4"
        "6ab100000000000000000000000000000000aafe0e539b6db619751cbf1c1bbd598a0000000000000000000000"
        "0000000000d3f1ee9092c5c0ee342a9ec1934f8903000000000000000000000000000000001e03d79026e27557"
        "2d272bf2ce33ce32000000000000000000000000000000008e8cafd59f3ee9b9e88cfb83b4587c620000000000"
        "0000000000000000000000b095a293d0ffddfd2a713280a36fcfc70000000000000000000000000000000010ea"
        "7377b6265cabe13737fdfe7fb30100000000000000000000000000000000c90b6b54cc2a05fd0b283fd25de2de"
        "fe00000000000000000000000000000000e0e1d138165c9f4db53fdf72f56b50af000000000000000000000000"
        "00000000a0059e38bef7e39dfa4f2431eb88b3a200000000000000000000000000000000",
        "000000000000000000000000000000003397998d5ce7df1167ae5408d6c8c4d021a09886a76bca505cd1e77d62"
        "75635f6863964cfad27b48b0d8614659a9910170b7049edc61e0ea030a791ebd51958219b4eb83aed85317df8c"
        "8b834952ea798179f571512a689963abea235a28af221b36581ed8180ab553eaea0d65878d4ab589cf09c5a7eb"
        "bb47142e060693107437ac59470b15156f63f5e9980476e8b9cc38c90cf6d4d18a300aac7b4702a8d524e6b92c"
        "3fcabe0a9add90cd5031fb047f616e5fa989cae06361acb30651a1dc085e877aa8bb8a0dda33e8b04feb22c365"
        "c010db280e634d6d0a90e7fd9d917245218b70c59bf693496f8a8506dc6c43326eb641f9755dcbab4e0b8e2745"
        "8ae1949272a8d871be5c5f1e19ae615ef9fafaa81315f9cfa9d340988f4537e88dc62fe62ff15af483906ded61"
        "d90f328485",
        "53963a0c405da020dbfffffffffffffff59f5f3282e96d93da1f5ed59f2043141c4ea1dd11b51244ed24353cb6"
        "0650eb749605eaa5432c3622c2fbe4c1b6f48519298b2ced26842cb292159939c4154a51eb3e77d6ec16ed8afe"
        "37350ed3320c7c8bcab6f983b9b751f6a5d86ab6751f27a7ef326a8b3929c9a88701d8430cb0863ca93d6156c1"
        "4f5d812465f61eba6624812f8d956936d48fe002a2b7ccf820f10646cd43ceb4a88013fd249c4913ac0717639e"
        "dd0a727b678421d316fff20c53f368579dfe084db59f4c198479a0eeae6cc1d776db40089ee1766aff853a0f8b"
        "f25989b4174f96fe0a4f870fe2d6b97d9bf827875c47bc666fad89daf68c699c83ce8b7bb91a1501fcb9785f7f"
        "a66c04ae4d3e1ebe5574aa404936abca57a957e43ea40860ed2108e7c835c5caa6ed2198acadcd87ab310ece6d"
        "6ea5941250",
        "ae69c5f3bfa25fdf08000000000000003ef7395bdafd717e8c8ef63236a881bc0652f7a895b6b70c53acb241ac"
        "6e1374f5cc9062548f4f127216666197f29c7b578e7971ef3a5cbe51776385838d7f38c8c8ac0cd8eb3c2a548e"
        "534e3b7fb76d05ee2abb57a6aee111b5444bef713903f58e68eb6d8dd08b6e41630c8d43819a2f4d26cc63512a"
        "6cea9209a10f74560d132b2aba75abde9ad314e7f64ca9ef98db31833fb2061de2aff6ae56abb894291ecf568e"
        "61bf4c8f16596ffa393208f82d6e05080c8bc19392c15f9a82d700ee5af1c5a231e049053c5271465065e8b3db"
        "cdb65174f613b752ff4060eebbbab8c98592483e3fafd7c6ffdcfb2be5dfd996eae7b57dbc42b6aa525115c8c5"
        "e37490e4246abab368e8b4ddcf77b693a151a4c4d470f06fbcb11cb1c60f721de7d80e4e83438d6cd85e5f1ff4"
        "6a6a9d7135",
        "000000000000000000000000000000000100000000000000000000000000000002000000000000000000000000"
        "000000ffff00000000000000000000000000000080000000000000000000000000000039300000000000000000"
        "00000000000007000000000000000000000000000000feff00000000000000000000000000002c010000000000"
        "00000000000000000000100000000000000000000000000000",
    },
    // Histogram11: meas_len 11, proof_len 15, verifier_len 10, prove_rand_len 8, query_rand_len 3,
    // joint_rand_len 3
    {
        "Histogram11",
        11,
        15,
        10,
        8,
        3,
        3,
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000000000000000000000",
        "ce612f9c26c18f5d0000000000000000874714b99308e81c0000000000000000402df9d5005040dc0000000000"
        "000000f912def26d97989b0000000000000000b2f8c20fdbdef05a00000000000000006bdea72c4826491a0000"
        "00000000000024c48c49b56da1d90000000000000000dda9716622b5f99800000000000000005b9e6b3ba951ba"
        "fc76ceb9338153d11b0a4158f38352f65e64c936c2f9ab5ba7000000000000000000000000000000003fec33da"
        "f2bca4baa45a95051061d2cb00000000000000000000000000000000b14ee94bc6ac89c670f01aef3aad8e2c00"
        "000000000000000000000000000000",
        "00000000000000000000000000000000dc6c56c67135870dfc50647f40f4691dfcfc8db8aad6886a2256ae3aba"
        "aa14dce6fac7518f1bb35d38e7444ca799eec8058bff43c8bcb4ba7aec8e0721509987f6f49b9d917fb9cbb419"
        "1442d10a8f0a1685d38fca20bb28db1e5efd4ac139c9139736fba3d5063d544450b558dd5fa9fa677fdac00242"
        "5ea4d4da8a1e9314d8292df9e1d6a62bd5a320e74c1fd6f8ef",
        "3e9a0b986d44579755272c2e246c505ed3732d7f1528351bd2a35770fd485f3e2c746635c4de9352ccfef4dd33"
        "95cc90acaeee7a900ff2bb92cb9715533a97d66cb3a6bd8ecd898edd5fff8642366505a2550a2b318e638cb3a5"
        "376f06bbd670c3360e8707360f242495d5aa9a3a513c41ce70ac027c0941147f987a715b4da470d78ca5304cfb"
        "6fbbc83e710d9e0c7518122f180a31b3b282f68cf1eb9bf620",
        "c365f46792bba8688ed8d3d1db93afa10af928475c0d52f20dad0c0f43ab0adfd0882783e6f7f4175657b95c86"
        "15484b3b4cd9d6fe0bc1a1891bad36545f57f299d7588639ef2a2c9d8c8f80de193482559f917260f1553fe573"
        "dcd2ca4fb899534ec508c3eaab04b7898852b086e88cd2c8c54ea159fdfb3fc5b73ae78112058a90f23490b646"
        "eee80b9c1911f50763111bcac9cc757822212a5a5b333a02cf",
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000000000000000000000",
    },
    // Multihot10: meas_len 13, proof_len 21, verifier_len 8, prove_rand_len 6, query_rand_len 3,
    // joint_rand_len 5
    {
        "Multihot10",
        13,
        21,
        8,
        6,
        3,
        5,
        "010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000010000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000010000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000100000000000000000000000000000001000000"
        "00000000000000000000000000000000000000000000000000000000",
        "ce612f9c26c18f5d0000000000000000874714b99308e81c0000000000000000402df9d5005040dc0000000000"
        "000000f912def26d97989b0000000000000000b2f8c20fdbdef05a00000000000000006bdea72c4826491a0000"
        "000000000000488786e389e03a7087fea0795d32c599087182b49c7b1c8444d81e7f4606f68600000000000000"
        "000000000000000000d8382a7b6dabd940cacb4bdd0f849dfb00000000000000000000000000000000ef7caafd"
        "237aa96d40f7e347ac935ec000000000000000000000000000000000dd1c696050c539b33db09d9394de798200"
        "0000000000000000000000000000001dac4ac7b61717f2c7cbe35c9686cb110000000000000000000000000000"
        "0000f253bffd51e4d55e442e9fa18980640c000000000000000000000000000000007a920ee9003be3242b8bb0"
        "d915debc7200000000000000000000000000000000",
        "0000000000000000000000000000000003d1df4c15c63119dd03aa89d76ed35acb1790938923fb3c8a8ae5c7d4"
        "f971818ce7d63a3be76be64461ffef16eda58cd04b263e9d1558d9ce1e514d9a487404e880acfcd028a5400161"
        "f9ef92c357bbe4b0aec5f24579d55d8fefa3fda51e53a0664676c5b028f0374a96cf571e2cbb",
        "5dec6f1a543e24666885b91a587d8bc136dd520a2e5b449e5abf6ecee69b283086581ef54b3e64089da205ec34"
        "7bcf50583fce8baa6f0af34a986c81d507c04e6f36839904e3efffc58221a71b08561dd11af7fdb0b8d00978bf"
        "a65204873b99d78328d48d1850b637fd6cfb2c7f628bc91923f82eb45fa5635f695575152732",
        "a41390e5abc1db997b7a46e5a782743ecdf38c42e76aed7a82443bbbf0d2aa2a45bf719e3de59634ede7dfdb9f"
        "7ea23034a808af907761f3f9c8926e41e5e53d6215a3a4983268d9ec9b2fa67e401ee71766b5fe1f70d43689a1"
        "529d8e3c1c220e2d86f1642d291f0a9282a8d026bcc7d74c237e96fcc84ad4ea2c7ae2080589",
        "010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000010000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000010000000000000000000000000000000000000000000000000000000000000000000000000000"
        "00000000000000000000000000000000000000000000000000",
    },
    // HigherDegree: meas_len 1, proof_len 5, verifier_len 3, prove_rand_len 1, query_rand_len 1,
    // joint_rand_len 0
    {
        "HigherDegree",
        1,
        5,
        3,
        1,
        1,
        0,
        "0200000000000000",
        "ce612f9c26c18f5dd9a4d26d8470be4944930941d1b589050000000000000000fcb73212212ddf07",
        "00000000000000007077066a2faf7551f68dd0a7cf7e04b4",
        "b4fcf70fab8189eb3f47fb1d0b1c41c66de7bf6a194f9634",
        "4d0308f0537e761432300b4c2393348b89a6103db62f6e7f",
        "0200000000000000",
    },
};

template <class F>
void CheckPocVector(const Flp<F>& flp, const std::vector<uint64_t>& measurement,
                    const PocVector& v) {
  SCOPED_TRACE(v.name);
  EXPECT_EQ(flp.meas_len(), v.meas_len);
  EXPECT_EQ(flp.proof_len(), v.proof_len);
  EXPECT_EQ(flp.verifier_len(), v.verifier_len);
  EXPECT_EQ(flp.prove_rand_len(), v.prove_rand_len);
  EXPECT_EQ(flp.query_rand_len(), v.query_rand_len);
  EXPECT_EQ(flp.joint_rand_len(), v.joint_rand_len);
  Result<std::vector<F>> meas = flp.Encode(measurement);
  ASSERT_TRUE(meas.ok()) << meas.status().message();
  EXPECT_EQ(Hex(*meas), v.meas);
  std::vector<F> prove_rand = DetVec<F>(1, flp.prove_rand_len());
  std::vector<F> joint_rand = DetVec<F>(2, flp.joint_rand_len());
  std::vector<F> query_rand = DetVec<F>(3, flp.query_rand_len());
  std::vector<F> proof = flp.Prove(*meas, prove_rand, joint_rand);
  EXPECT_EQ(Hex(proof), v.proof);
  std::vector<F> verifier = flp.Query(*meas, proof, query_rand, joint_rand, 1);
  EXPECT_EQ(Hex(verifier), v.verifier);
  EXPECT_TRUE(flp.Decide(verifier));
  std::vector<F> meas1 = DetVec<F>(4, meas->size()), proof1 = DetVec<F>(5, proof.size());
  std::vector<F> meas0 = *meas, proof0 = proof;
  EXPECT_TRUE(VecSub(&meas0, meas1));
  EXPECT_TRUE(VecSub(&proof0, proof1));
  std::vector<F> verifier0 = flp.Query(meas0, proof0, query_rand, joint_rand, 2);
  std::vector<F> verifier1 = flp.Query(meas1, proof1, query_rand, joint_rand, 2);
  EXPECT_EQ(Hex(verifier0), v.verifier0);
  EXPECT_EQ(Hex(verifier1), v.verifier1);
  EXPECT_TRUE(VecAdd(&verifier0, verifier1));
  EXPECT_TRUE(flp.Decide(verifier0));
  EXPECT_EQ(Hex(flp.Truncate(*meas)), v.output);
}

TEST(Prio3FlpTest, MatchesTheDraftsProofOfConcept) {
  ASSERT_EQ(std::size(kPocVectors), 7u);
  CheckPocVector(*CountFlp(), {1}, kPocVectors[0]);
  CheckPocVector(*SumFlp(1337), {1000}, kPocVectors[1]);
  CheckPocVector(*SumVecFlp<Field64>(3, 255, 2), {1, 255, 200}, kPocVectors[2]);
  CheckPocVector(*SumVecFlp<Field128>(10, 65535, 9),
                 {0, 1, 2, 65535, 32768, 12345, 7, 65534, 300, 4096}, kPocVectors[3]);
  CheckPocVector(*HistogramFlp(11, 4), {7}, kPocVectors[4]);
  CheckPocVector(*MultihotCountVecFlp(10, 4, 3), {1, 0, 0, 1, 0, 0, 1, 0, 0, 0}, kPocVectors[5]);
  CheckPocVector(*HigherDegreeFlp(), {2}, kPocVectors[6]);
}

// Runs the FLP on an encoded measurement split into num_shares additive shares, with fresh
// randomness; `tamper` may change the proof before it is shared.
template <class F>
bool RunFlp(const Flp<F>& flp, const std::vector<F>& meas, size_t num_shares, std::mt19937_64* rng,
            const std::function<void(std::vector<F>*)>& tamper = nullptr) {
  std::vector<F> joint_rand = RandomVec<F>(rng, flp.joint_rand_len());
  std::vector<F> proof = flp.Prove(meas, RandomVec<F>(rng, flp.prove_rand_len()), joint_rand);
  EXPECT_EQ(proof.size(), flp.proof_len());
  if (tamper) tamper(&proof);
  std::vector<F> query_rand = RandomVec<F>(rng, flp.query_rand_len());
  std::vector<F> meas_last = meas, proof_last = proof, verifier(flp.verifier_len());
  for (size_t s = 0; s + 1 < num_shares; ++s) {
    std::vector<F> meas_share = RandomVec<F>(rng, meas.size());
    std::vector<F> proof_share = RandomVec<F>(rng, proof.size());
    EXPECT_TRUE(VecSub(&meas_last, meas_share));
    EXPECT_TRUE(VecSub(&proof_last, proof_share));
    std::vector<F> v = flp.Query(meas_share, proof_share, query_rand, joint_rand, num_shares);
    EXPECT_EQ(v.size(), flp.verifier_len());
    EXPECT_TRUE(VecAdd(&verifier, v));
  }
  EXPECT_TRUE(
      VecAdd(&verifier, flp.Query(meas_last, proof_last, query_rand, joint_rand, num_shares)));
  return flp.Decide(verifier);
}

template <class F>
void ExpectAccepted(const Flp<F>& flp, const std::vector<uint64_t>& measurement) {
  std::mt19937_64 rng(measurement.size() * 31 + flp.meas_len());
  Result<std::vector<F>> meas = flp.Encode(measurement);
  ASSERT_TRUE(meas.ok()) << meas.status().message();
  for (size_t shares : {2, 3}) {
    EXPECT_TRUE(RunFlp(flp, *meas, shares, &rng)) << shares << " shares";
  }
  // A proof element changed: rejected, whichever it is.
  for (size_t i = 0; i < flp.proof_len(); ++i) {
    EXPECT_FALSE(RunFlp<F>(flp, *meas, 2, &rng,
                           [i](std::vector<F>* proof) { (*proof)[i] += F::FromUint64(1); }))
        << "proof element " << i;
  }
}

// An encoding no valid measurement has is rejected with 2 and 3 shares, even with an honestly
// computed proof.
template <class F>
void ExpectRejected(const Flp<F>& flp, const std::vector<F>& meas, const char* what) {
  std::mt19937_64 rng(99);
  for (size_t shares : {2, 3}) {
    EXPECT_FALSE(RunFlp(flp, meas, shares, &rng)) << what << ", " << shares << " shares";
  }
}

template <class F>
std::vector<F> Elements(std::initializer_list<uint64_t> values) {
  std::vector<F> out;
  for (uint64_t v : values) out.push_back(F::FromUint64(v));
  return out;
}

TEST(Prio3FlpTest, CountAcceptsBitsOnly) {
  Flp<Field64> flp = *CountFlp();
  ExpectAccepted(flp, {0});
  ExpectAccepted(flp, {1});
  ExpectRejected(flp, Elements<Field64>({2}), "count 2");
  ExpectRejected(flp, {-Field64::FromUint64(1)}, "count -1");
  EXPECT_FALSE(flp.Encode({2}).ok());
  EXPECT_EQ(flp.Encode({2}).status().message(),
            "prio3 count measurement: must be at most 1, got 2");
  EXPECT_FALSE(flp.Encode({}).ok());
}

// The draft's test circuit with a gadget of degree 3: x(x - 1)(x - 2) = 0.
TEST(Prio3FlpTest, HigherDegreeAcceptsZeroOneTwo) {
  Flp<Field64> flp = *HigherDegreeFlp();
  for (uint64_t v : {0, 1, 2}) ExpectAccepted(flp, {v});
  ExpectRejected(flp, Elements<Field64>({3}), "3");
  ExpectRejected(flp, {-Field64::FromUint64(1)}, "-1");
  EXPECT_EQ(flp.Encode({3}).status().message(),
            "prio3 count measurement: must be at most 2, got 3");
}

TEST(Prio3FlpTest, SumAcceptsUpToItsMaximum) {
  Flp<Field64> flp = *SumFlp(1337);
  for (uint64_t v : {0, 1, 1023, 1024, 1337}) ExpectAccepted(flp, {v});
  Result<std::vector<Field64>> too_big = flp.Encode({1338});
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.status().message(),
            "prio3 sum measurement: entry 0 is 1338, above the maximum 1337");
  // 11 bits with weights 1, 2, ..., 512 and 314: a bit of 2 would reach 1337 + 314.
  std::vector<Field64> meas = *flp.Encode({1337});
  meas[10] = Field64::FromUint64(2);
  ExpectRejected(flp, meas, "sum with a bit of 2");
  // Decoding the truncated output: 1000.
  std::vector<Field64> out = flp.Truncate(*flp.Encode({1000}));
  EXPECT_EQ(*flp.Decode(out, 1), std::vector<uint64_t>{1000});
  Flp<Field64> one = *SumFlp(1);
  ExpectAccepted(one, {1});
  ExpectRejected(one, Elements<Field64>({3}), "sum of one bit, 3");
}

TEST(Prio3FlpTest, SumVecAcceptsVectorsInRange) {
  ExpectAccepted(*SumVecFlp<Field128>(10, 65535, 9),
                 {0, 1, 2, 65535, 32768, 12345, 7, 65534, 300, 4096});
  Flp<Field64> flp = *SumVecFlp<Field64>(3, 255, 2);
  ExpectAccepted(flp, {0, 255, 17});
  std::vector<Field64> meas = *flp.Encode({0, 255, 17});
  meas[9] = Field64::FromUint64(2);
  ExpectRejected(flp, meas, "sumvec with a bit of 2");
  EXPECT_EQ(flp.Encode({0, 256, 1}).status().message(),
            "prio3 sum measurement: entry 1 is 256, above the maximum 255");
  EXPECT_EQ(*flp.Decode(flp.Truncate(*flp.Encode({0, 255, 17})), 1),
            (std::vector<uint64_t>{0, 255, 17}));
}

TEST(Prio3FlpTest, SumVecOverField128TakesSixtyFourBitValues) {
  Result<Flp<Field128>> made = SumVecFlp<Field128>(3, UINT64_MAX, 2);
  ASSERT_TRUE(made.ok()) << made.status().message();
  Flp<Field128> flp = *made;
  std::vector<uint64_t> values{UINT64_MAX, uint64_t{1} << 63, (uint64_t{1} << 63) - 1};
  ExpectAccepted(flp, values);
  EXPECT_EQ(*flp.Decode(flp.Truncate(*flp.Encode(values)), 1), values);
  // A copy runs the same circuit.
  Flp<Field128> copy = flp;
  EXPECT_EQ(copy.proof_len(), flp.proof_len());
  EXPECT_EQ(Hex(copy.Truncate(*copy.Encode(values))), Hex(flp.Truncate(*flp.Encode(values))));
}

TEST(Prio3FlpTest, HistogramAcceptsExactlyOneBucket) {
  // Every chunk length up to the measurement's 11 (a longer one is refused: see
  // FactoriesRejectBadParameters).
  for (size_t chunk : {1, 3, 4, 11}) {
    Result<Flp<Field128>> made = HistogramFlp(11, chunk);
    ASSERT_TRUE(made.ok()) << made.status().message();
    Flp<Field128> flp = *made;
    SCOPED_TRACE(chunk);
    ExpectAccepted(flp, {0});
    ExpectAccepted(flp, {10});
    std::vector<Field128> two_ones = *flp.Encode({3});
    two_ones[8] = Field128::FromUint64(1);
    ExpectRejected(flp, two_ones, "histogram with two 1s");
    std::vector<Field128> a_two = *flp.Encode({3});
    a_two[3] = Field128::FromUint64(2);
    ExpectRejected(flp, a_two, "histogram with a 2");
    std::vector<Field128> none(11);
    ExpectRejected(flp, none, "histogram with no bucket");
    // Sums to one, but with entries 2 and -1.
    std::vector<Field128> balanced(11);
    balanced[0] = Field128::FromUint64(2);
    balanced[1] = -Field128::FromUint64(1);
    ExpectRejected(flp, balanced, "histogram 2 and -1");
  }
  Flp<Field128> flp = *HistogramFlp(11, 4);
  EXPECT_EQ(flp.Encode({11}).status().message(),
            "prio3 histogram measurement: bucket 11 is not below the length 11");
  EXPECT_EQ(flp.Encode({1, 2}).status().message(),
            "prio3 measurement: expected 1 integer(s), got 2");
}

TEST(Prio3FlpTest, MultihotAcceptsUpToMaxWeightBits) {
  Flp<Field128> flp = *MultihotCountVecFlp(10, 4, 3);
  ExpectAccepted(flp, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  ExpectAccepted(flp, {1, 1, 0, 1, 0, 0, 0, 0, 0, 1});
  EXPECT_EQ(flp.Encode({1, 1, 1, 1, 1, 0, 0, 0, 0, 0}).status().message(),
            "prio3 multihot measurement: 5 entries set, above the maximum weight 4");
  EXPECT_EQ(flp.Encode({0, 2, 0, 0, 0, 0, 0, 0, 0, 0}).status().message(),
            "prio3 multihot measurement: entry 1 must be 0 or 1, got 2");
  // Five bits set but a claimed weight of 4.
  std::vector<Field128> meas = *flp.Encode({1, 1, 1, 1, 0, 0, 0, 0, 0, 0});
  meas[4] = Field128::FromUint64(1);
  ExpectRejected(flp, meas, "multihot weight mismatch");
  EXPECT_EQ(*flp.Decode(flp.Truncate(*flp.Encode({1, 1, 0, 1, 0, 0, 0, 0, 0, 1})), 1),
            (std::vector<uint64_t>{1, 1, 0, 1, 0, 0, 0, 0, 0, 1}));
}

TEST(Prio3FlpTest, FactoriesRejectBadParameters) {
  EXPECT_FALSE(SumFlp(0).ok());
  EXPECT_FALSE(SumFlp(uint64_t{1} << 63).ok());
  EXPECT_TRUE(SumFlp((uint64_t{1} << 63) - 1).ok());
  EXPECT_FALSE(SumVecFlp<Field64>(3, UINT64_MAX, 2).ok());
  EXPECT_TRUE(SumVecFlp<Field128>(3, UINT64_MAX, 2).ok());
  EXPECT_FALSE(SumVecFlp<Field128>(0, 1, 1).ok());
  EXPECT_FALSE(HistogramFlp(0, 1).ok());
  EXPECT_FALSE(HistogramFlp(4, 0).ok());
  EXPECT_EQ(HistogramFlp(size_t{1} << 21, 1).status().message(),
            "prio3 histogram: the encoded measurement (2097152 elements) exceeds 4096");
  EXPECT_TRUE(HistogramFlp(4096, 1).ok());
  EXPECT_FALSE(HistogramFlp(4097, 64).ok());
  // A chunk longer than the measurement: 11 buckets, chunk 12.
  EXPECT_EQ(HistogramFlp(11, 12).status().message(),
            "prio3 histogram: chunk_length must be in [1, 11] (the encoded measurement's length), "
            "got 12");
  EXPECT_TRUE(HistogramFlp(11, 11).ok());
  // SumVec's measurement is length * bits long: 10 values of 8 bits take chunks up to 80.
  EXPECT_TRUE(SumVecFlp<Field128>(10, 255, 80).ok());
  EXPECT_FALSE(SumVecFlp<Field128>(10, 255, 81).ok());
  EXPECT_EQ(SumVecFlp<Field128>(5000, 1, 1).status().message(),
            "prio3 sumvec: length 5000 would make the encoded measurement longer than 4096 "
            "elements");
  EXPECT_EQ(MultihotCountVecFlp(5000, 1, 1).status().message(),
            "prio3 multihot: length 5000 would make the encoded measurement longer than 4096 "
            "elements");
  EXPECT_FALSE(MultihotCountVecFlp(4, 5, 1).ok());
  EXPECT_FALSE(MultihotCountVecFlp(4, 0, 1).ok());
}

TEST(Prio3FlpTest, WrongLengthsGiveEmptyResultsNotCrashes) {
  Flp<Field128> flp = *HistogramFlp(5, 2);
  std::vector<Field128> meas = *flp.Encode({2});
  std::vector<Field128> jr(flp.joint_rand_len()), qr(flp.query_rand_len(), Field128::FromUint64(5));
  std::vector<Field128> proof = flp.Prove(meas, std::vector<Field128>(flp.prove_rand_len()), jr);
  ASSERT_EQ(proof.size(), flp.proof_len());
  EXPECT_TRUE(flp.Prove({}, std::vector<Field128>(flp.prove_rand_len()), jr).empty());
  EXPECT_TRUE(
      flp.Query(meas, std::vector<Field128>(proof.begin(), proof.end() - 1), qr, jr, 2).empty());
  EXPECT_TRUE(flp.Query(meas, proof, {}, jr, 2).empty());
  EXPECT_FALSE(flp.Decide({}));
  EXPECT_TRUE(flp.Truncate({}).empty());
  EXPECT_FALSE(flp.Decode({}, 1).ok());
  // A test point that is a node of the wire polynomials (here 1): the draft aborts.
  qr.back() = Field128::FromUint64(1);
  EXPECT_TRUE(flp.Query(meas, proof, qr, jr, 2).empty());
  // Arbitrary field values everywhere: a verifier share, never a crash.
  std::mt19937_64 rng(5);
  std::vector<Field128> junk =
      flp.Query(RandomVec<Field128>(&rng, meas.size()), RandomVec<Field128>(&rng, proof.size()),
                RandomVec<Field128>(&rng, qr.size()), RandomVec<Field128>(&rng, jr.size()), 2);
  EXPECT_EQ(junk.size(), flp.verifier_len());
}

TEST(Prio3FlpTest, DecodeNeedsSixtyFourBitValues) {
  Flp<Field128> flp = *HistogramFlp(2, 1);
  Result<std::vector<uint64_t>> big = flp.Decode({-Field128::FromUint64(1), Field128()}, 1);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().message(), "prio3 aggregate: element 0 exceeds 64 bits");
}

}  // namespace
}  // namespace nazar::prio3
