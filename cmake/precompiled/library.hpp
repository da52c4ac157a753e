// The headers nearly every translation unit of the layers includes, compiled once per build
// (cmake/Precompiled.cmake): the C++ library and nlohmann/json, which every layer may use. Nothing
// here that a layer may not include (scripts/check-layers.sh), so the precompiled header cannot
// hide a layering mistake; a build with -DNEXCAGE_PCH=OFF checks that each file includes what it uses.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
