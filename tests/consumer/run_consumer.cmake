# The consumer tests (cmake -P, invoked by ctest; see CMakeLists.txt).
#   -DMODE=install    cmake --install BUILD_DIR --prefix STAGE (into an empty STAGE)
#   -DMODE=cmake      configure, build and run app/ with find_package(cxsent) against STAGE
#   -DMODE=pkgconfig  compile app/main.c with `pkg-config --cflags --libs cxsent`, run it
# Other variables: SRC_DIR, WORK_DIR, CC, VERSION, SANITIZE, PKG_CONFIG, GENERATOR, SHARED.
cmake_minimum_required(VERSION 3.21)

function(_run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  string(REPLACE ";" " " _cmd "${ARGN}")
  message(STATUS "${_cmd}\n${_out}${_err}")
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "failed (${_rc}): ${_cmd}")
  endif()
  set(_last_out "${_out}" PARENT_SCOPE)
endfunction()

set(_san_flags "")
if(SANITIZE)
  set(_san_flags "-fsanitize=${SANITIZE}")
endif()

if(MODE STREQUAL "install")
  file(REMOVE_RECURSE "${STAGE}")
  _run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${STAGE}")
  foreach(_f include/cxsent.h lib/cmake/cxsent/cxsentConfig.cmake
             lib/cmake/cxsent/cxsentConfigVersion.cmake lib/pkgconfig/cxsent.pc)
    if(NOT EXISTS "${STAGE}/${_f}")
      message(FATAL_ERROR "not installed: ${_f}")
    endif()
  endforeach()
elseif(MODE STREQUAL "cmake")
  file(REMOVE_RECURSE "${WORK_DIR}")
  _run(${CMAKE_COMMAND} -S "${SRC_DIR}/app" -B "${WORK_DIR}" -G "${GENERATOR}"
       "-DCMAKE_PREFIX_PATH=${STAGE}" "-DCMAKE_C_COMPILER=${CC}" "-DEXPECT_PREFIX=${STAGE}"
       "-DEXPECT_VERSION=${VERSION}" "-DCMAKE_C_FLAGS=${_san_flags}"
       "-DCMAKE_EXE_LINKER_FLAGS=${_san_flags}" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
  _run(${CMAKE_COMMAND} --build "${WORK_DIR}")
  _run("${WORK_DIR}/consumer" "${STAGE}/share/cxsent/default.model")
elseif(MODE STREQUAL "pkgconfig")
  file(REMOVE_RECURSE "${WORK_DIR}")
  file(MAKE_DIRECTORY "${WORK_DIR}")
  # the .pc file names the configured prefix; point it at the staged install
  set(ENV{PKG_CONFIG_PATH} "${STAGE}/lib/pkgconfig")
  set(_pc ${PKG_CONFIG} "--define-variable=prefix=${STAGE}")
  _run(${_pc} --modversion cxsent)
  string(STRIP "${_last_out}" _v)
  if(NOT _v STREQUAL VERSION)
    message(FATAL_ERROR "pkg-config says cxsent ${_v}, expected ${VERSION}")
  endif()
  set(_static "")
  if(NOT SHARED) # a static libcxsent needs its private dependencies too
    set(_static --static)
  endif()
  _run(${_pc} --cflags --libs ${_static} cxsent)
  string(STRIP "${_last_out}" _flags)
  separate_arguments(_flags UNIX_COMMAND "${_flags}")
  if(NOT _flags MATCHES "-L${STAGE}/lib")
    message(FATAL_ERROR "pkg-config flags do not point at ${STAGE}: ${_flags}")
  endif()
  _run(${CC} -std=c99 -Wall -Wextra -pedantic -Werror ${_san_flags} "${SRC_DIR}/app/main.c"
       -o "${WORK_DIR}/consumer" ${_flags} "-Wl,-rpath,${STAGE}/lib")
  _run("${WORK_DIR}/consumer" "${STAGE}/share/cxsent/default.model")
else()
  message(FATAL_ERROR "MODE must be install, cmake or pkgconfig")
endif()
