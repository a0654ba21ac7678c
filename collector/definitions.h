// Survey definitions of the collector: loading and validating the --surveys file or folder with
// the core, and the immutable catalog of every registered (id, version) the server reads from.
#ifndef NAZAR_COLLECTOR_DEFINITIONS_H_
#define NAZAR_COLLECTOR_DEFINITIONS_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "collector/store.h"
#include "nazar/definition.h"
#include "nazar/json.h"
#include "nazar/result.h"

namespace nazar::collector {

// One registered definition version: parsed, and its text as stored.
struct RegisteredSurvey {
  Survey survey;
  std::string text;  // canonical JSON of the survey object (SurveyVersion::definition)
};

// An immutable snapshot of every registered version. The server swaps whole catalogs (a
// shared_ptr under a mutex), so a request sees one consistent set.
class Catalog {
 public:
  // Builds from registered versions in registration order (Store::Surveys). A version whose
  // text the core no longer accepts is skipped and named in `skipped`.
  static std::shared_ptr<const Catalog> Build(const std::vector<SurveyVersion>& versions,
                                              std::vector<std::string>* skipped);

  // The version, or nullptr.
  const RegisteredSurvey* Find(const std::string& id, const std::string& version) const;
  // The latest registered version of `id`, or nullptr.
  const RegisteredSurvey* Latest(const std::string& id) const;
  // {"nazar":1,"surveys":[latest version of each id, by id]} and its strong ETag ("\"...\"").
  const std::string& SurveysJson() const { return surveys_json_; }
  const std::string& ETag() const { return etag_; }

 private:
  std::map<std::pair<std::string, std::string>, std::shared_ptr<RegisteredSurvey>> versions_;
  std::map<std::string, std::string> latest_;  // id -> version
  std::string surveys_json_;
  std::string etag_;
};

// Parses and validates one definition document (a survey object or {"nazar":1,"surveys":[...]})
// with the core. `where` prefixes every error ("surveys/shop.json: /questions/1/scale: ...").
// Returns one SurveyVersion per survey, its text the canonical JSON of its object.
Result<std::vector<SurveyVersion>> DefinitionsFromText(const std::string& text,
                                                       const std::string& where);

// Loads --surveys: a file, or every *.json in a folder (sorted by name). Every error of every
// file, one per line, each with its file and JSON pointer (kInvalidDefinition).
Result<std::vector<SurveyVersion>> LoadDefinitionPath(const std::string& path);

}  // namespace nazar::collector

#endif  // NAZAR_COLLECTOR_DEFINITIONS_H_
