// Must not compile: state records are read without oci
#include "nexcage/state/record.hpp"
#include "nexcage/oci/bundle.hpp"
