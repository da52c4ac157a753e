#include "nexcage/core/json_reader.hpp"

namespace nexcage {

std::string describe_problems(const std::string& what, const std::vector<Problem>& problems) {
  std::string text = "invalid " + what + ": " + std::to_string(problems.size()) +
                     (problems.size() == 1 ? " problem" : " problems");
  for (const auto& p : problems) text += "\n  " + p.path + ": " + p.message;
  return text;
}

std::string child_path(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string index_path(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

void JsonReader::only_keys(const nlohmann::json& obj, const std::string& path,
                           const std::set<std::string>& known) {
  std::string list;
  if (words_.list_known) {
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    list = " (known: " + list + ")";
  }
  for (const auto& [key, value] : obj.items())
    if (!known.count(key)) problem(child_path(path, key), words_.unknown_key + list);
}

const nlohmann::json* JsonReader::present(const nlohmann::json& parent, const char* key) const {
  auto it = parent.find(key);
  if (it == parent.end() || (words_.null_is_absent && it->is_null())) return nullptr;
  return &*it;
}

const nlohmann::json* JsonReader::object(const nlohmann::json& parent, const char* key,
                                         const std::string& path) {
  const auto* v = present(parent, key);
  if (v == nullptr) return nullptr;
  if (!v->is_object()) {
    problem(child_path(path, key), "must be an object");
    return nullptr;
  }
  return v;
}

const nlohmann::json* JsonReader::array(const nlohmann::json& parent, const char* key,
                                        const std::string& path) {
  const auto* v = present(parent, key);
  if (v == nullptr) return nullptr;
  if (!v->is_array()) {
    problem(child_path(path, key), "must be an array");
    return nullptr;
  }
  return v;
}

bool JsonReader::string(const nlohmann::json& parent, const char* key, const std::string& path,
                        std::string& out) {
  const auto* v = present(parent, key);
  if (v == nullptr) return false;
  if (!v->is_string()) {
    problem(child_path(path, key), "must be a string");
    return false;
  }
  out = v->get<std::string>();
  return true;
}

bool JsonReader::boolean(const nlohmann::json& parent, const char* key, const std::string& path,
                         bool& out) {
  const auto* v = present(parent, key);
  if (v == nullptr) return false;
  if (!v->is_boolean()) {
    problem(child_path(path, key), "must be true or false");
    return false;
  }
  out = v->get<bool>();
  return true;
}

void JsonReader::strings(const nlohmann::json& parent, const char* key, const std::string& path,
                         std::vector<std::string>& out) {
  const auto* arr = array(parent, key, path);
  if (arr == nullptr) return;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto& v = (*arr)[i];
    if (!v.is_string()) {
      problem(index_path(child_path(path, key), i), "must be a string");
      continue;
    }
    out.push_back(v.get<std::string>());
  }
}

void JsonReader::string_map(const nlohmann::json& parent, const char* key, const std::string& path,
                            std::map<std::string, std::string>& out) {
  const auto* obj = object(parent, key, path);
  if (obj == nullptr) return;
  for (const auto& [k, v] : obj->items()) {
    if (!v.is_string()) {
      problem(child_path(path, key) + "[\"" + k + "\"]", "must be a string");
      continue;
    }
    out[k] = v.get<std::string>();
  }
}

}  // namespace nexcage
