#include <unistd.h>

#include <cerrno>

#include "commands.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/io.hpp"
#include "nexcage/core/operation.hpp"

namespace nexcage::cli {

void print(const std::string& text) {
  if (!write_fully(1, text)) throw system_error("writing to stdout", errno);
}

CLI::Option* add_id(CLI::App& sub, std::string& id) {
  return sub.add_option("container-id", id, "the container's id")
      ->type_name("ID")
      ->required()
      ->each([](const std::string& value) { operation::note_id(value); });
}

}  // namespace nexcage::cli
