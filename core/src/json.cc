// Out-of-line helpers of nazar/json.h.
#include "nazar/json.h"

#include "json_writer.h"

namespace nazar {

Json JsonObject(std::initializer_list<JsonMember> members) {
  Json out(Json::value_t::object);
  for (const JsonMember& m : members) out.emplace(m.key, std::move(m.value));
  return out;
}

namespace {

// Depth is bounded by what built the value: ParseJson refuses documents deeper than
// kMaxJsonDepth, and the core's own DOMs are a few levels deep.
void Write(const Json& v, JsonWriter* w) {
  switch (v.type()) {
    case Json::value_t::object:
      w->BeginObject();
      for (auto it = v.begin(); it != v.end(); ++it) {
        w->Key(it.key());
        Write(*it, w);
      }
      w->EndObject();
      return;
    case Json::value_t::array:
      w->BeginArray();
      for (const Json& e : v) Write(e, w);
      w->EndArray();
      return;
    case Json::value_t::string:
      w->String(v.get_ref<const std::string&>());
      return;
    case Json::value_t::boolean:
      w->Bool(v.get<bool>());
      return;
    case Json::value_t::number_integer:
      w->Int(v.get<int64_t>());
      return;
    case Json::value_t::number_unsigned:
      w->Uint(v.get<uint64_t>());
      return;
    case Json::value_t::number_float:
      w->Double(v.get<double>());
      return;
    default:  // null, and what the core never prints (discarded, binary)
      w->Null();
      return;
  }
}

}  // namespace

std::string JsonText(const Json& value) {
  JsonWriter w;
  Write(value, &w);
  return w.Take();
}

}  // namespace nazar
