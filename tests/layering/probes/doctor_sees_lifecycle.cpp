// Must not compile: doctor checks the host without lifecycle
#include "nexcage/doctor/doctor.hpp"
#include "nexcage/lifecycle/context.hpp"
