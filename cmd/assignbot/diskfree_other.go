//go:build !linux

package main

// freeSpace is unknown off Linux: doctor then says nothing about it.
func freeSpace(string) (uint64, bool) { return 0, false }
