// Must not compile: the Backend API knows nothing of routing
#include "nexcage/backend/backend.hpp"

// Must not be found:
#include "nexcage/router/config.hpp"
