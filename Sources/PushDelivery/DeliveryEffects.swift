/// What a `DeliveryQueue` asks to be done once its lock is released: resuming the tasks that
/// waited on it and waking the sender loop. Collected under the lock, performed outside it.
package protocol DeliveryEffects {
    /// Nothing to do yet.
    init()

    /// Does what was collected: resumes the waiting tasks and signals `wake` when the sender
    /// loop has batches to take.
    consuming func perform(wake: WakeSignal)
}
