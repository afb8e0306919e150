# Compile <cxsent.h> the strict way (cmake -P; invoked by ctest, see CMakeLists.txt).
#   -DMODE=c99   compile header_c99.c as C99 with -pedantic -Werror (C compiler CC)
#   -DMODE=cxx   compile header_cxx.cpp with CXX -Werror, link it with CC against LIB, run it
# Other variables: SRC_DIR, INCLUDE_DIR, WORK_DIR, LIB, LIB_DIR, EXTRA_LIBS, SANITIZE.
cmake_minimum_required(VERSION 3.21)
file(MAKE_DIRECTORY "${WORK_DIR}")
set(_warn -Wall -Wextra -pedantic -Werror)

function(_run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  string(REPLACE ";" " " _cmd "${ARGN}")
  message(STATUS "${_cmd}\n${_out}${_err}")
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "failed (${_rc}): ${_cmd}")
  endif()
endfunction()

if(MODE STREQUAL "c99")
  foreach(_std c99 c11)
    _run(${CC} -std=${_std} ${_warn} -Wshadow -Wconversion -Wsign-conversion -Wstrict-prototypes
         -Wmissing-prototypes -Wundef -Wcast-qual -I${INCLUDE_DIR}
         -c ${SRC_DIR}/header_c99.c -o ${WORK_DIR}/header_${_std}.o)
  endforeach()
  # the static-build spelling of the export macro as well
  _run(${CC} -std=c99 ${_warn} -DCXS_STATIC -I${INCLUDE_DIR} -c ${SRC_DIR}/header_c99.c
       -o ${WORK_DIR}/header_c99_static.o)
elseif(MODE STREQUAL "cxx")
  foreach(_std c++98 c++11 c++17)
    _run(${CXX} -std=${_std} ${_warn} -Wshadow -Wold-style-cast -Wzero-as-null-pointer-constant
         -I${INCLUDE_DIR} -fsyntax-only ${SRC_DIR}/header_cxx.cpp)
  endforeach()
  # link with the C driver (the program needs nothing from the C++ runtime), so a sanitizer
  # build's runtime matches the library's
  _run(${CXX} -std=c++11 ${_warn} -fno-exceptions -fno-rtti -I${INCLUDE_DIR}
       -c ${SRC_DIR}/header_cxx.cpp -o ${WORK_DIR}/header_cxx.o)
  set(_san "")
  if(SANITIZE)
    set(_san -fsanitize=${SANITIZE})
  endif()
  separate_arguments(_extra UNIX_COMMAND "${EXTRA_LIBS}")
  _run(${CC} ${WORK_DIR}/header_cxx.o -o ${WORK_DIR}/header_cxx ${_san} ${LIB}
       -Wl,-rpath,${LIB_DIR} ${_extra})
  _run(${WORK_DIR}/header_cxx)
else()
  message(FATAL_ERROR "MODE must be c99 or cxx")
endif()
