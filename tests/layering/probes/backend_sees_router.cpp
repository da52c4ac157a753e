// Must not compile: the Backend API knows nothing of routing
#include "nexcage/backend/backend.hpp"
#include "nexcage/router/config.hpp"
