#include "fields.hpp"

namespace nexcage::oci::detail {

std::string join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string index(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

const nlohmann::json* Fields::object(const nlohmann::json& parent, const char* key,
                                     const std::string& path) {
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return nullptr;
  if (!it->is_object()) {
    problem(join(path, key), "must be an object");
    return nullptr;
  }
  return &*it;
}

const nlohmann::json* Fields::array(const nlohmann::json& parent, const char* key,
                                    const std::string& path) {
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return nullptr;
  if (!it->is_array()) {
    problem(join(path, key), "must be an array");
    return nullptr;
  }
  return &*it;
}

void Fields::string(const nlohmann::json& parent, const char* key, const std::string& path,
                    std::string& out) {
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return;
  if (!it->is_string()) return problem(join(path, key), "must be a string");
  out = it->get<std::string>();
}

void Fields::boolean(const nlohmann::json& parent, const char* key, const std::string& path,
                     bool& out) {
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return;
  if (!it->is_boolean()) return problem(join(path, key), "must be true or false");
  out = it->get<bool>();
}

void Fields::strings(const nlohmann::json& parent, const char* key, const std::string& path,
                     std::vector<std::string>& out) {
  const auto* arr = array(parent, key, path);
  if (arr == nullptr) return;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto& v = (*arr)[i];
    if (!v.is_string()) {
      problem(index(join(path, key), i), "must be a string");
      continue;
    }
    out.push_back(v.get<std::string>());
  }
}

void Fields::string_map(const nlohmann::json& parent, const char* key, const std::string& path,
                        std::map<std::string, std::string>& out) {
  const auto* obj = object(parent, key, path);
  if (obj == nullptr) return;
  for (const auto& [k, v] : obj->items()) {
    if (!v.is_string()) {
      problem(join(path, key) + "[\"" + k + "\"]", "must be a string");
      continue;
    }
    out[k] = v.get<std::string>();
  }
}

}  // namespace nexcage::oci::detail
