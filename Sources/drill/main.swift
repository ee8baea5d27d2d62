// drill: the command-line front door. Thin: it parses arguments and calls the libraries.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let status = CommandLineTool.run(arguments, output: StandardStreams())
exit(status)
