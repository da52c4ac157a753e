// Must not compile: core is the bottom layer
#include "nexcage/core/error.hpp"

// Must not be found:
#include "nexcage/fs/files.hpp"
