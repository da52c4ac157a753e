// The state record (<root>/<id>/state.json) as StateStore::load_record reads it:
// parse_json_document, then state::record_from_json. A record it accepts must survive the round
// trip through to_json unchanged, as StateStore::save writes it.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "nexcage/core/error.hpp"
#include "nexcage/fs/json_file.hpp"
#include "nexcage/state/record.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  nexcage::state::Record record;
  try {
    record = nexcage::state::record_from_json(nexcage::fs::parse_json_document(text, "state.json"));
  } catch (const nexcage::Error&) {
    return 0;
  }
  auto written = nexcage::state::to_json(record).dump();
  nexcage::state::Record again;
  try {
    again =
        nexcage::state::record_from_json(nexcage::fs::parse_json_document(written, "state.json"));
  } catch (const nexcage::Error& e) {
    std::fprintf(stderr, "a record that was read cannot be read back after saving: %s\n", e.what());
    std::abort();
  }
  if (nexcage::state::to_json(again).dump() != written) {
    std::fprintf(stderr, "a saved record reads back differently\n");
    std::abort();
  }
  return 0;
}
