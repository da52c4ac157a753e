// Must not compile: doctor checks the host without lifecycle
#include "nexcage/doctor/doctor.hpp"

// Must not be found:
#include "nexcage/lifecycle/context.hpp"
