#include "collector/definitions.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace nazar::collector {
namespace {

// FNV-1a 64 as 16 hex digits: an ETag that changes when the body does.
std::string Fnv1a(const std::string& text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

std::shared_ptr<const Catalog> Catalog::Build(const std::vector<SurveyVersion>& versions,
                                              std::vector<std::string>* skipped) {
  auto catalog = std::make_shared<Catalog>();
  for (const SurveyVersion& v : versions) {
    ParsedDefinitions parsed = ParseDefinitions(v.definition);
    if (!parsed.ok() || parsed.surveys.size() != 1 || parsed.surveys[0].id != v.id ||
        parsed.surveys[0].version != v.version) {
      if (skipped) {
        skipped->push_back(v.id + " version " + v.version + ": " +
                           (parsed.ok() ? std::string("id or version differs from its text")
                                        : parsed.errors[0].ToString()));
      }
      continue;
    }
    auto reg = std::make_shared<RegisteredSurvey>();
    reg->survey = std::move(parsed.surveys[0]);
    reg->text = v.definition;
    catalog->versions_[{v.id, v.version}] = std::move(reg);
    catalog->latest_[v.id] = v.version;
  }
  Json list = Json::array();
  for (const auto& [id, version] : catalog->latest_) {
    const RegisteredSurvey* reg = catalog->Find(id, version);
    Json j = ParseJson(reg->text.data(), reg->text.data() + reg->text.size());
    list.push_back(std::move(j));
  }
  Json body = {{"nazar", 1}, {"surveys", std::move(list)}};
  catalog->surveys_json_ = body.dump();
  catalog->etag_ = "\"" + Fnv1a(catalog->surveys_json_) + "\"";
  return catalog;
}

const RegisteredSurvey* Catalog::Find(const std::string& id, const std::string& version) const {
  auto it = versions_.find({id, version});
  return it == versions_.end() ? nullptr : it->second.get();
}

const RegisteredSurvey* Catalog::Latest(const std::string& id) const {
  auto it = latest_.find(id);
  return it == latest_.end() ? nullptr : Find(id, it->second);
}

Result<std::vector<SurveyVersion>> DefinitionsFromText(const std::string& text,
                                                       const std::string& where) {
  const std::string prefix = where.empty() ? "" : where + ": ";
  // Definitions come from anyone holding the admin token: a key said twice is refused.
  JsonParseError duplicate;
  if (ParseJsonStrict(text.data(), text.data() + text.size(), &duplicate).is_discarded() &&
      duplicate.duplicate_key) {
    return Status(StatusCode::kInvalidDefinition, prefix + duplicate.ToString());
  }
  ParsedDefinitions parsed = ParseDefinitions(text);
  if (!parsed.ok()) {
    std::string message;
    for (const DefinitionError& e : parsed.errors) {
      if (!message.empty()) message += "\n";
      message += prefix + e.ToString();
    }
    return Status(StatusCode::kInvalidDefinition, message);
  }
  const Json doc = ParseJson(text.data(), text.data() + text.size());
  std::vector<const Json*> objects;
  if (auto list = doc.find("surveys"); doc.is_object() && list != doc.end() && list->is_array()) {
    for (const Json& s : *list) objects.push_back(&s);
  } else {
    objects.push_back(&doc);
  }
  if (objects.size() != parsed.surveys.size()) {
    return Status(StatusCode::kInvalidDefinition, prefix + "unexpected definition layout");
  }
  std::vector<SurveyVersion> out;
  for (size_t i = 0; i < objects.size(); ++i) {
    out.push_back(
        SurveyVersion{parsed.surveys[i].id, parsed.surveys[i].version, objects[i]->dump()});
  }
  return out;
}

Result<std::vector<SurveyVersion>> LoadDefinitionPath(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> files;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".json") {
        files.push_back(entry.path().string());
      }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
      return Status(StatusCode::kInvalidDefinition, path + ": no *.json definition files");
    }
  } else if (fs::exists(path, ec)) {
    files.push_back(path);
  } else {
    return Status(StatusCode::kInvalidDefinition, path + ": no such file or folder");
  }
  std::vector<SurveyVersion> out;
  std::string errors;
  std::map<std::pair<std::string, std::string>, std::string> seen;  // -> file
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      errors += (errors.empty() ? "" : "\n") + file + ": cannot read";
      continue;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    Result<std::vector<SurveyVersion>> defs = DefinitionsFromText(buf.str(), file);
    if (!defs.ok()) {
      errors += (errors.empty() ? "" : "\n") + defs.status().message();
      continue;
    }
    for (SurveyVersion& v : *defs) {
      auto [it, fresh] = seen.try_emplace({v.id, v.version}, file);
      if (!fresh) {
        errors += (errors.empty() ? "" : "\n") + file + ": survey " + v.id + " version " +
                  v.version + " is also defined in " + it->second;
        continue;
      }
      out.push_back(std::move(v));
    }
  }
  if (!errors.empty()) return Status(StatusCode::kInvalidDefinition, errors);
  return out;
}

}  // namespace nazar::collector
