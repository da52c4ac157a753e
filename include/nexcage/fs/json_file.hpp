#pragma once
// JSON documents from outside (config.json, the config file, state records, process.json), read
// with limits that keep a hostile document from exhausting memory or the stack.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace nexcage::fs {

inline constexpr std::size_t max_json_bytes = 16 * 1024 * 1024;
inline constexpr int max_json_depth = 64;

// Parses JSON text with the limits above. Throws nexcage::Error(invalid_input) naming `what`
// (e.g. "config.json") and, for syntax errors, the byte offset; invalid UTF-8 is a syntax error.
nlohmann::json parse_json_document(std::string_view text, const std::string& what);

// Reads a JSON file (a regular file or a pipe, symlinks followed, at most max_json_bytes) and
// parses it with parse_json_document. A missing file is Error(not_found).
nlohmann::json read_json_file(const std::filesystem::path& file, const std::string& what);

}  // namespace nexcage::fs
