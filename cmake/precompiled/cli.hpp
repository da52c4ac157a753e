// The library's precompiled headers plus CLI11, for the two layers that may include it (cli, docgen).
#include "library.hpp"

#include <CLI/CLI.hpp>
