# Compiler and linker hardening shared by every target we build.
set(CRATON_WARNINGS -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Wunused -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough)

function(craton_harden target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:${CRATON_WARNINGS}>
    -fstack-protector-strong -fno-strict-overflow -fstack-clash-protection)
  target_compile_definitions(${target} PRIVATE _GLIBCXX_ASSERTIONS)
  if(NOT CRATON_SANITIZE AND NOT CRATON_BUILD_FUZZERS)
    # FORTIFY needs optimisation and conflicts with ASan's interceptors (the fuzzers use ASan too).
    target_compile_options(${target} PRIVATE -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2)
  endif()
  target_link_options(${target} PRIVATE -Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack)
endfunction()

if(CRATON_SANITIZE)
  add_compile_options(-fsanitize=${CRATON_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${CRATON_SANITIZE})
  add_compile_definitions(CRATON_SANITIZER_BUILD=1)
endif()
