#include "abi_internal.h"
#include "nazar/definition.h"
#include "nazar_abi.h"

using nazar::Json;

extern "C" int nazar_definition_validate(const char* text, size_t size) {
  if (text == nullptr && size != 0) {
    return nazar::abi::Fail({nazar::StatusCode::kInvalidArgument, "definition: null input"});
  }
  const nazar::ParsedDefinitions parsed =
      nazar::ParseDefinitions(std::string_view(text == nullptr ? "" : text, size));
  if (!parsed.ok()) {
    Json errors = Json::array();
    for (const nazar::DefinitionError& e : parsed.errors) {
      errors.push_back(nazar::JsonObject({{"pointer", e.pointer}, {"message", e.message}}));
    }
    return nazar::abi::Fail(
        {nazar::StatusCode::kInvalidDefinition,
         parsed.errors.front().ToString() +
             (parsed.errors.size() > 1
                  ? " (and " + std::to_string(parsed.errors.size() - 1) + " more)"
                  : "")},
        nazar::JsonObject({{"errors", std::move(errors)}}));
  }
  Json surveys = Json::array();
  for (const nazar::Survey& s : parsed.surveys) {
    surveys.push_back(nazar::JsonObject({{"id", s.id},
                                         {"version", s.version},
                                         {"questions", s.questions.size()},
                                         {"locales", s.Locales()}}));
  }
  return nazar::abi::Respond(nazar::JsonObject({{"surveys", std::move(surveys)}}));
}
