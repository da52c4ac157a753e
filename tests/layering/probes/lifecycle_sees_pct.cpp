// Must not compile: lifecycle links the registry, not a driver
#include "nexcage/lifecycle/context.hpp"

// Must not be found:
#include "nexcage/backend/pct/driver.hpp"
