"""The second line of defence of SPARQL: a seccomp filter that stops query threads opening network sockets.

The first line refuses SERVICE from a parse of the query (`sparql/parser.py`). Should that ever be
wrong, Oxigraph would open an HTTP connection to wherever the query says (that is what SERVICE does).
`confine()` installs a seccomp-BPF filter (Linux, `prctl(PR_SET_SECCOMP)`, no library needed) that
makes `socket()` and `socketpair()` fail with EACCES for every address family but AF_UNIX (pipes to
the server keep working), and refuses io_uring, whose operations could open sockets behind seccomp's
back. Filters are inherited by threads started afterwards and can never be removed, so:
- a query worker process confines all its threads at start (`all_threads=True`, SECCOMP_FILTER_FLAG_TSYNC);
- the in-memory store's query threads each confine themselves, leaving the server's other threads free.
A foreign-architecture or x32 system call (a way around a filter keyed on x86-64 numbers) is refused too.

Only x86-64 and AArch64 Linux are supported; elsewhere `confine` raises `SandboxUnavailable` and
queries are not run (fail closed).
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import sys

from passport_registry.errors import SandboxUnavailable

#: Per machine: (AUDIT_ARCH_*, socket, socketpair, seccomp syscall number) from the kernel's tables.
_ARCHES = {
    "x86_64": (0xC000003E, 41, 53, 317),
    "aarch64": (0xC00000B7, 198, 199, 277),
}
_IO_URING = (425, 426, 427)  # io_uring_setup, _enter, _register: the same on every 64-bit architecture
_X32_BIT = 0x40000000

_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
_RET_ALLOW = 0x7FFF0000
_RET_EACCES = 0x00050000 | errno.EACCES
_AF_UNIX = 1

# BPF opcodes (linux/filter.h)
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06
# Offsets into struct seccomp_data: nr (int), arch (u32), instruction pointer (u64), args (u64[6]);
# args[0]'s low 32 bits are at 16 on little-endian machines, the only ones supported.
_NR, _ARCH, _ARG0 = 0, 4, 16


class _Instruction(ctypes.Structure):
    _fields_ = (
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint32),
    )


class _Program(ctypes.Structure):
    _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Instruction)))


def supported() -> bool:
    """Whether `confine` can work here (Linux on x86-64 or AArch64)."""
    return sys.platform == "linux" and platform.machine() in _ARCHES and sys.byteorder == "little"


def _program(machine: str) -> list[_Instruction]:
    arch, socket_nr, socketpair_nr, _ = _ARCHES[machine]
    deny = _Instruction(_RET_K, 0, 0, _RET_EACCES)
    allow = _Instruction(_RET_K, 0, 0, _RET_ALLOW)
    program = [
        _Instruction(_LD_W_ABS, 0, 0, _ARCH),
        _Instruction(_JEQ_K, 1, 0, arch),  # native architecture: go on; else deny
        deny,
        _Instruction(_LD_W_ABS, 0, 0, _NR),
        _Instruction(_JGE_K, 0, 1, _X32_BIT),  # x32 system calls: deny
        deny,
    ]
    for number in _IO_URING:
        program += [_Instruction(_JEQ_K, 0, 1, number), deny]
    program += [
        _Instruction(_JEQ_K, 2, 0, socket_nr),
        _Instruction(_JEQ_K, 1, 0, socketpair_nr),
        allow,
        _Instruction(_LD_W_ABS, 0, 0, _ARG0),  # the address family
        _Instruction(_JEQ_K, 0, 1, _AF_UNIX),
        allow,
        deny,
    ]
    return program


def confine(*, all_threads: bool) -> None:
    """Forbid network sockets to the calling thread and the threads it starts (with `all_threads`,
    to every thread of the process), for good. Raises SandboxUnavailable when that is impossible."""
    if not supported():
        raise SandboxUnavailable(
            f"SPARQL queries run only where they can be kept off the network (Linux on x86-64 or AArch64 "
            f"with seccomp); this is {sys.platform} on {platform.machine()}."
        )
    machine = platform.machine()
    instructions = _program(machine)
    array = (_Instruction * len(instructions))(*instructions)
    program = _Program(len(instructions), array)
    libc = ctypes.CDLL(None, use_errno=True)
    zero = ctypes.c_ulong(0)
    if libc.prctl(ctypes.c_int(_PR_SET_NO_NEW_PRIVS), ctypes.c_ulong(1), zero, zero, zero) != 0:
        _fail(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    flags = _SECCOMP_FILTER_FLAG_TSYNC if all_threads else 0
    seccomp = _ARCHES[machine][3]
    result = libc.syscall(
        ctypes.c_long(seccomp),
        ctypes.c_ulong(_SECCOMP_SET_MODE_FILTER),
        ctypes.c_ulong(flags),
        ctypes.byref(program),
    )
    if result != 0:
        _fail(ctypes.get_errno(), "seccomp(SECCOMP_SET_MODE_FILTER)")


def _fail(code: int, call: str) -> None:
    raise SandboxUnavailable(
        f"SPARQL queries run only where they can be kept off the network; {call} failed: {os.strerror(code)}."
    )
