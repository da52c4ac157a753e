// Must not compile: lifecycle links the registry, not a driver
#include "nexcage/lifecycle/context.hpp"
#include "nexcage/backend/pct/driver.hpp"
