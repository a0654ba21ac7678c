// Out-of-line helpers of nazar/json.h.
#include "nazar/json.h"

#include "json_writer.h"

namespace nazar {

Json JsonObject(std::initializer_list<JsonMember> members) {
  Json out(Json::value_t::object);
  for (const JsonMember& m : members) out.emplace(m.key, std::move(m.value));
  return out;
}

std::string JsonText(const Json& value) {
  JsonWriter w;
  WriteJson(value, &w);
  return w.Take();
}

}  // namespace nazar
