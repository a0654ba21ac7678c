// Stub bodies: the API compiles; the proof system follows.
#include "nazar/prio3/flp.h"

namespace nazar {
namespace prio3 {

template <class F>
size_t Flp<F>::proof_len() const {
  return 0;
}
template <class F>
Result<std::vector<F>> Flp<F>::Encode(const std::vector<uint64_t>&) const {
  return Status(StatusCode::kInternal, "prio3: not implemented yet");
}
template <class F>
std::vector<F> Flp<F>::Prove(const std::vector<F>&, const std::vector<F>&,
                             const std::vector<F>&) const {
  return {};
}
template <class F>
std::vector<F> Flp<F>::Query(const std::vector<F>&, const std::vector<F>&, const std::vector<F>&,
                             const std::vector<F>&, size_t) const {
  return {};
}
template <class F>
bool Flp<F>::Decide(const std::vector<F>&) const {
  return false;
}
template <class F>
std::vector<F> Flp<F>::Truncate(const std::vector<F>&) const {
  return {};
}
template <class F>
Result<std::vector<uint64_t>> Flp<F>::Decode(const std::vector<F>&, uint64_t) const {
  return Status(StatusCode::kInternal, "prio3: not implemented yet");
}

template class Flp<Field64>;
template class Flp<Field128>;

Result<Flp<Field64>> CountFlp() { return Flp<Field64>(CircuitSpec()); }
Result<Flp<Field64>> SumFlp(uint64_t) { return Flp<Field64>(CircuitSpec()); }
template <class F>
Result<Flp<F>> SumVecFlp(size_t, uint64_t, size_t) {
  return Flp<F>(CircuitSpec());
}
template Result<Flp<Field64>> SumVecFlp<Field64>(size_t, uint64_t, size_t);
template Result<Flp<Field128>> SumVecFlp<Field128>(size_t, uint64_t, size_t);
Result<Flp<Field128>> HistogramFlp(size_t, size_t) { return Flp<Field128>(CircuitSpec()); }
Result<Flp<Field128>> MultihotCountVecFlp(size_t, size_t, size_t) {
  return Flp<Field128>(CircuitSpec());
}

}  // namespace prio3
}  // namespace nazar
