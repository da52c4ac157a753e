// The library's precompiled headers plus googletest, for the unit and end-to-end test programs.
#include "library.hpp"

#include <gtest/gtest.h>
