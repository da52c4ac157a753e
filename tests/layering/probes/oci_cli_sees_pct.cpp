// Must not compile: one driver never sees another
#include "nexcage/backend/oci_cli/driver.hpp"

// Must not be found:
#include "nexcage/backend/pct/driver.hpp"
