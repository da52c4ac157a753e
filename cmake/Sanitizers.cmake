if(NEXCAGE_SANITIZE)
  # One flag set for every target, so the library and the tests agree on the ABI.
  add_compile_options(-fsanitize=address,undefined,leak -fno-sanitize-recover=all
    -fno-omit-frame-pointer -O1 -g)
  add_link_options(-fsanitize=address,undefined,leak -fno-sanitize-recover=all)
endif()
