// Must not compile: state records are read without oci
#include "nexcage/state/record.hpp"

// Must not be found:
#include "nexcage/oci/bundle.hpp"
