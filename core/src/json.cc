// Out-of-line helpers of nazar/json.h.
#include "nazar/json.h"

namespace nazar {

Json JsonObject(std::initializer_list<JsonMember> members) {
  Json out = Json::object();
  for (const JsonMember& m : members) out[m.key] = std::move(m.value);
  return out;
}

}  // namespace nazar
