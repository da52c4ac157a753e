# Unity builds of the layers: each layer's sources are compiled in batches of 16 per translation
# unit. Most of a file's compile time is generating code for the json and CLI11 templates and
# inline functions every file uses (parsing is a twentieth of it), which a batch generates once:
# the layers build in 3 minutes instead of 8 here, three times per scripts/test.sh (release,
# sanitizer, package). Names private to a source (anonymous namespaces, statics) must therefore be
# unique within its layer; -DNEXCAGE_UNITY=OFF builds file by file, which also checks that each
# file includes what it uses. Precompiled headers were measured too and saved nothing on top. The
# test programs are built file by file: their files share helper names by design.
option(NEXCAGE_UNITY "Compile each layer's sources in batches (unity build)" ON)

function(nexcage_unity target)
  set_target_properties(${target} PROPERTIES UNITY_BUILD ${NEXCAGE_UNITY} UNITY_BUILD_BATCH_SIZE 16)
endfunction()
