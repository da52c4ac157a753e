// Must not compile: core is the bottom layer
#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"
